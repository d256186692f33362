/*
 * The website chat page: takes over from the page's first form (shell.js, inline) once the Web Chat bundle has
 * loaded. It gets a token from the bot's token route, then starts the official Web Chat component on
 * it. A reload of the page carries on in the same chat: the conversation id and its token are kept in this tab's
 * sessionStorage (never localStorage: on a shared computer the next person must not open it), and on loading the
 * token is refreshed through the token route and the conversation reconnected from its start (Direct Line 3.0's
 * reconnect with a watermark), so the resident keeps the chat, their reference and the connector. endForGood()
 * forgets it: after "delete my data" (the server says so with an event), and for the page's quick exit. Styles are chosen for WCAG 2.2 AA contrast; suggested actions wrap (no sideways scrolling) and uploads are
 * hidden, because the bot reads typed messages only. No resident's words are logged or kept by this script.
 *
 * The takeover loses nothing: what the resident sent from the first form (window.SignpostShell.queue) is sent once
 * each when the conversation is up, what is still in its box is put in Web Chat's box, and the focus follows. Web
 * Chat is shown, and the first form hidden, when the first message (the bot's welcome) has arrived, so the welcome
 * never leaves the screen.
 *
 * When the chat ends on its own (its token ran out while the phone slept, or the conversation is gone), the page says
 * so kindly, takes the old chat off the page, forgets it, and offers a new one (chatEnded).
 */
(function () {
    'use strict';
    var config = JSON.parse(document.getElementById('signpost-config').textContent);
    var status = document.getElementById('chat-status');
    var container = document.getElementById('webchat');
    var shellPart = document.getElementById('shell');
    var shellBox = document.getElementById('shell-input');
    var shell = window.SignpostShell;

    /**
     * The full chat could not start. Where the plain page exists (config.simpler), the first form carries on as it
     * would with no script: anything sent from it but not yet delivered goes back in the box, and Send posts it.
     */
    function showError() {
        container.hidden = true;
        status.hidden = false;
        if (config.simpler && !takenOver) {
            shell.plain = true;
            var waiting = shell.queue.splice(0, shell.queue.length);
            // Shown as sent, but never sent: taken out of the log, back into the box.
            Array.prototype.forEach.call(document.querySelectorAll('#shell-log .shell-from-resident'), function (b) {
                b.remove();
            });
            if (waiting.length) shellBox.value = waiting.concat(shellBox.value ? [shellBox.value] : []).join(' ');
            status.textContent = config.simpler;
            return;
        }
        status.textContent = config.error;
        shellPart.hidden = true;
    }

    var takenOver = false;

    /** Shows Web Chat in place of the first form, carrying over what is in its box and the focus. */
    function takeOver(store) {
        if (takenOver) return;
        takenOver = true;
        var typing = shellBox.value;
        var focused = document.activeElement === shellBox;
        container.classList.remove('webchat-loading');
        // Removed, not hidden: the welcome is in the page once, in Web Chat's transcript, from here on.
        shellPart.remove();
        status.hidden = true;
        if (typing) store.dispatch({ type: 'WEB_CHAT/SET_SEND_BOX', payload: { text: typing } });
        if (focused) {
            var box = container.querySelector('input[type="text"], textarea');
            if (box) box.focus();
        }
    }

    /** Once the conversation is up: what was sent from the first form goes, once each; later sends go directly. */
    function sendQueued(store) {
        var send = function (text) {
            if (!takenOver) shell.show(text);
            store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: text } });
        };
        var queued = shell.queue.splice(0, shell.queue.length);
        shell.send = send;
        queued.forEach(send);
    }

    var domain = /^https?:/.test(config.domain) ? config.domain : window.location.origin + config.domain;

    var styleOptions = {
        accent: '#0b5394',
        primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
        backgroundColor: '#ffffff',
        bubbleBackground: '#f1f3f5',
        bubbleTextColor: '#1b1b1b',
        bubbleBorderRadius: 8,
        bubbleFromUserBackground: '#0b5394',
        bubbleFromUserTextColor: '#ffffff',
        bubbleFromUserBorderRadius: 8,
        bubbleMaxWidth: 640,
        subtle: '#595959',
        timestampColor: '#595959',
        sendBoxTextColor: '#1b1b1b',
        sendBoxBackground: '#ffffff',
        sendBoxButtonColor: '#0b5394',
        sendBoxBorderTop: 'solid 2px #595959',
        sendBoxHeight: 56,
        suggestedActionLayout: 'flow',
        suggestedActionBackgroundColor: '#ffffff',
        suggestedActionBorderColor: '#0b5394',
        suggestedActionBorderWidth: 2,
        suggestedActionBorderRadius: 8,
        suggestedActionTextColor: '#0b5394',
        suggestedActionHeight: 44,
        hideUploadButton: true,
        botAvatarInitials: undefined,
        userAvatarInitials: undefined,
        rootHeight: '100%',
        rootWidth: '100%'
    };

    /**
     * A community connector's messages (issue 20): the bot marks them in channelData.signpost (LiveChatMark in
     * src/handoff/relay.ts) with their first name, and marks the live chat starting and ending. Their messages are
     * named and styled as a person's, and the footer says who the resident is chatting with while they have the chat.
     */
    function liveMark(activity) {
        var mark = activity && activity.from && activity.from.role === 'bot' && activity.channelData
            && activity.channelData.signpost;
        return mark && typeof mark.connector === 'string' ? mark : null;
    }

    // The Web Chat bundle keeps React to itself, so the few elements added here are made as React 16 makes them
    // (a plain object with its element mark), the same shape React.createElement returns.
    var REACT_ELEMENT = typeof Symbol === 'function' && Symbol.for ? Symbol.for('react.element') : 0xeac7;
    function element(type, key, props, children) {
        return { $$typeof: REACT_ELEMENT, type: type, key: key, ref: null,
            props: Object.assign({}, props, { children: children }), _owner: null };
    }

    /** Web Chat's activity middleware: a connector's message is drawn as Web Chat draws it, with their name above. */
    function activityMiddleware() {
        return function (next) {
            return function () {
                var card = arguments[0] || {};
                var render = next.apply(null, arguments);
                var mark = liveMark(card.activity);
                if (!render || !mark || mark.role !== 'connector') return render;
                return function () {
                    var drawn = render.apply(null, arguments);
                    return element('div', null, { className: 'connector-activity' }, [
                        element('p', 'name', { className: 'connector-name' }, mark.connector),
                        element('div', 'said', { className: 'connector-said' }, drawn)
                    ]);
                };
            };
        };
    }

    var footer = document.getElementById('privacy');
    var usualFooter = footer ? footer.textContent : '';

    /** The footer follows the live chat: who has it while a connector does, the usual line before and after. */
    function followLiveChat(activity) {
        var mark = liveMark(activity);
        if (!mark || !footer) return;
        footer.textContent = mark.relay === 'ended' ? usualFooter
            : config.chattingWith.split('{name}').join(mark.connector);
    }

    var KEPT = 'signpost.chat';

    /** The conversation this tab kept for a reload: { conversationId, token }, or null. */
    function kept() {
        try {
            var value = JSON.parse(window.sessionStorage.getItem(KEPT) || 'null');
            return value && typeof value.conversationId === 'string' && typeof value.token === 'string' ? value : null;
        } catch (e) {
            return null;
        }
    }

    function keep(conversationId, token) {
        if (!conversationId || !token) return;
        try {
            window.sessionStorage.setItem(KEPT, JSON.stringify({ conversationId: conversationId, token: token }));
        } catch (e) {
            // Storage switched off: the chat works, a reload starts a new one.
        }
    }

    /**
     * Ends the chat for good on this device: the kept conversation is forgotten, so a reload starts a new chat.
     * Called after "delete my data"; the page's quick exit calls it too.
     */
    function endForGood() {
        ended = true;
        try {
            window.sessionStorage.removeItem(KEPT);
        } catch (e) {
            // Nothing was kept.
        }
    }
    var ended = false;
    window.SignpostChat = { endForGood: endForGood };

    function tokenFrom(url, token) {
        var headers = { 'Content-Type': 'application/json' };
        if (token) headers.Authorization = 'Bearer ' + token;
        return fetch(url, { method: 'POST', headers: headers, body: '{}' }).then(function (res) {
            if (!res.ok) throw new Error('token ' + res.status);
            return res.json();
        });
    }

    /** A token: the kept conversation's, refreshed, when it can be carried on; else one for a new chat. */
    function grantFor(old) {
        if (!old) return tokenFrom(config.tokenUrl);
        return tokenFrom(config.refreshUrl, old.token).then(function (grant) {
            grant.resumed = true;
            return grant;
        }, function () {
            endForGood();
            ended = false;
            return tokenFrom(config.tokenUrl);
        });
    }

    /**
     * Web Chat, once its bundle has run. The page runs this script first (both deferred, in order), so the token is
     * asked for while the bundle, seconds of work on a cheap phone, still runs; DOMContentLoaded comes after both.
     */
    function webChatReady() {
        return new Promise(function (resolve, reject) {
            function check() {
                if (window.WebChat) resolve(window.WebChat);
                else reject(new Error('Web Chat did not load'));
            }
            if (window.WebChat || document.readyState === 'complete') {
                check();
            } else {
                document.addEventListener('DOMContentLoaded', check);
                window.addEventListener('load', check);
            }
        });
    }

    /** Saved lists already printed on this page, so a reconnect that replays the chat does not print again. */
    var printed = {};

    /**
     * "Print my list" (issue 21): the saved list the bot sent, drawn as a page of its own (#print-list) from the
     * activity itself, never from a URL, then the browser's print dialog. While printing, the page shows only the
     * list (chat.css, body.printing-list); a list sent more than a few minutes ago (a resumed chat) is not printed.
     */
    function printList(activity) {
        var sent = Date.parse(activity.timestamp || '');
        if (printed[activity.id] || (!isNaN(sent) && Date.now() - sent > 5 * 60 * 1000)) return;
        printed[activity.id] = true;
        var list = activity.channelData.printList;
        var old = document.getElementById('print-list');
        if (old) old.parentNode.removeChild(old);
        var section = document.createElement('section');
        section.id = 'print-list';
        section.className = 'print-list';
        var title = document.createElement('h1');
        title.textContent = list.title;
        section.appendChild(title);
        var items = document.createElement('ol');
        (list.items || []).forEach(function (item) {
            var li = document.createElement('li');
            var name = document.createElement('h2');
            name.textContent = item.name;
            li.appendChild(name);
            [[list.labels.when, item.when], [list.labels.where, item.where],
                [list.labels.contact, [item.phone, item.email, item.url].filter(Boolean).join(', ')]]
                .forEach(function (pair) {
                    if (!pair[1]) return;
                    var p = document.createElement('p');
                    var label = document.createElement('strong');
                    label.textContent = pair[0] + ': ';
                    p.appendChild(label);
                    p.appendChild(document.createTextNode(pair[1]));
                    li.appendChild(p);
                });
            items.appendChild(li);
        });
        section.appendChild(items);
        document.body.appendChild(section);
        document.body.classList.add('printing-list');
        var done = function () {
            document.body.classList.remove('printing-list');
            window.removeEventListener('afterprint', done);
        };
        window.addEventListener('afterprint', done);
        // After Web Chat has drawn the message, so the chat is as the resident sees it when the dialog closes.
        setTimeout(function () { window.print(); }, 300);
    }

    // botframework-directlinejs's ConnectionStatus: ExpiredToken (a 403: the token ran out while the page slept)
    // and Ended (a 404: the conversation is gone).
    var EXPIRED_TOKEN = 3;
    var CONVERSATION_ENDED = 5;

    /**
     * Web Chat on a grant, drawn into `into`; `typed` is put in its box. Watches for the chat ending (chatEnded).
     */
    function startChat(grant, into, typed) {
        var options = { token: grant.token, domain: domain, webSocket: true };
        // Carrying on: reconnect to the kept conversation from its first activity, so the chat so far shows.
        if (grant.resumed) {
            options.conversationId = grant.conversationId;
            options.watermark = '';
        }
        var directLine = window.WebChat.createDirectLine(options);
        if (grant.resumed) keep(grant.conversationId, grant.token);
        directLine.activity$.subscribe(function (activity) {
            if (activity.type === 'event' && activity.name === config.forgottenEvent) {
                endForGood();
                return;
            }
            followLiveChat(activity);
            if (activity.type === 'message' && activity.channelData && activity.channelData.printList) {
                printList(activity);
            }
            // Kept with the newest token (the client refreshes it as it goes), unless ended for good.
            if (!ended) keep(directLine.conversationId || grant.conversationId, directLine.token || grant.token);
        }, function () {
            // The conversation ended (chatEnded says so): not an error of the page's.
        });
        var connected = false;
        var store = window.WebChat.createStore({}, function () {
            return function (next) {
                return function (action) {
                    var result = next(action);
                    if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && !connected) {
                        connected = true;
                        setTimeout(function () {
                            if (typed) store.dispatch({ type: 'WEB_CHAT/SET_SEND_BOX', payload: { text: typed } });
                            sendQueued(store);
                            // No message within a few seconds (a quiet resumed chat): show Web Chat anyway.
                            setTimeout(function () { takeOver(store); }, 4000);
                        }, 0);
                    }
                    if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && action.payload
                        && action.payload.activity && action.payload.activity.type === 'message') {
                        setTimeout(function () { takeOver(store); }, 0);
                    }
                    return result;
                };
            };
        });
        var over = false;
        directLine.connectionStatus$.subscribe(function (status) {
            if (over || (status !== EXPIRED_TOKEN && status !== CONVERSATION_ENDED)) return;
            over = true;
            setTimeout(function () { chatEnded(directLine, store, into); }, 0);
        });
        // Each message takes its own direction from its text, so a line in Arabic or Urdu reads right to left in a
        // left-to-right page (and an English one stays left to right).
        if (window.MutationObserver) {
            new MutationObserver(function () {
                var bubbles = into.querySelectorAll('.webchat__bubble__content:not([dir])');
                for (var i = 0; i < bubbles.length; i++) bubbles[i].setAttribute('dir', 'auto');
            }).observe(into, { childList: true, subtree: true });
        }
        window.WebChat.renderWebChat({
            directLine: directLine,
            store: store,
            locale: config.locale,
            styleOptions: styleOptions,
            activityMiddleware: activityMiddleware,
            sendTypingIndicator: false
        }, into);
    }

    /** What the resident sent that the server never took (sent after the chat ended): offered again, not lost. */
    function unsent(store) {
        var activities = (store.getState() || {}).activities || [];
        return activities.filter(function (a) {
            return a.type === 'message' && a.from && a.from.role === 'user' && typeof a.text === 'string'
                && !(typeof a.id === 'string' && a.id.indexOf('|') > 0);
        }).map(function (a) { return a.text; }).join(' ');
    }

    /**
     * The token or the conversation ran out (a quiet while: a phone asleep for more than half an hour). Says so
     * kindly, takes the old chat off the page and forgets it on this device, and offers a new one, with anything
     * typed that was not sent back in its box.
     */
    function chatEnded(directLine, store, into) {
        var typed = unsent(store);
        endForGood();
        if (footer) footer.textContent = usualFooter;
        try {
            directLine.end();
        } catch (e) {
            // Already closed.
        }
        var panel = document.createElement('div');
        panel.className = 'ended';
        panel.id = 'chat-ended';
        panel.setAttribute('role', 'alert');
        [config.ended, config.endedAgain].forEach(function (text) {
            var p = document.createElement('p');
            p.textContent = text;
            panel.appendChild(p);
        });
        var again = document.createElement('button');
        again.type = 'button';
        again.className = 'start-new';
        again.textContent = config.startNew;
        panel.appendChild(again);
        // Removed, not hidden: nothing of the old chat stays in the page.
        into.parentNode.replaceChild(panel, into);
        again.focus();
        again.addEventListener('click', function () {
            var fresh = document.createElement('div');
            fresh.id = 'webchat';
            fresh.className = 'webchat';
            panel.parentNode.replaceChild(fresh, panel);
            ended = false;
            tokenFrom(config.tokenUrl).then(function (grant) {
                startChat(grant, fresh, typed);
                var focusBox = function (tries) {
                    var box = fresh.querySelector('input[type="text"], textarea');
                    if (box) box.focus();
                    else if (tries > 0) setTimeout(function () { focusBox(tries - 1); }, 200);
                };
                focusBox(25);
            }).catch(showError);
        });
    }

    Promise.all([grantFor(kept()), webChatReady()])
        .then(function (ready) {
            startChat(ready[0], container, '');
        })
        .catch(showError);
})();
