/*
 * The website chat page: gets a token from the bot's token route, then starts the official Web Chat component on
 * it. A reload of the page carries on in the same chat: the conversation id and its token are kept in this tab's
 * sessionStorage (never localStorage: on a shared computer the next person must not open it), and on loading the
 * token is refreshed through the token route and the conversation reconnected from its start (Direct Line 3.0's
 * reconnect with a watermark), so the resident keeps the chat, their reference and the connector. endForGood()
 * forgets it: after "delete my data" (the server says so with an event), and for the page's quick exit. Styles are chosen for WCAG 2.2 AA contrast; suggested actions wrap (no sideways scrolling) and uploads are
 * hidden, because the bot reads typed messages only. No resident's words are logged or kept by this script.
 */
(function () {
    'use strict';
    var config = JSON.parse(document.getElementById('signpost-config').textContent);
    var status = document.getElementById('chat-status');
    var person = document.getElementById('talk-to-person');
    var container = document.getElementById('webchat');

    function showError() {
        status.textContent = config.error;
        status.hidden = false;
        container.hidden = true;
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

    grantFor(kept())
        .then(function (grant) {
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
                // Kept with the newest token (the client refreshes it as it goes), unless ended for good.
                if (!ended) keep(directLine.conversationId || grant.conversationId, directLine.token || grant.token);
            });
            var store = window.WebChat.createStore();
            window.WebChat.renderWebChat({
                directLine: directLine,
                store: store,
                locale: config.locale,
                styleOptions: styleOptions,
                sendTypingIndicator: false
            }, container);
            status.hidden = true;
            person.disabled = false;
            person.addEventListener('click', function () {
                store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: config.talkToPerson } });
            });
        })
        .catch(showError);
})();
