/*
 * The page's first moments, inlined in the page (its hash is in the Content-Security-Policy): until the full Web
 * Chat has loaded, which on a slow phone takes many seconds, the welcome is already on the page and this plain form
 * takes what the resident types. A message sent now is shown in the log and kept in window.SignpostShell.queue;
 * chat.js sends each one once when the conversation is up, and carries over anything still in the box. The "talk
 * to a person" button works the same way. Nothing typed is logged or stored by this script.
 *
 * Without any script the same forms post to the plain page (/chat, src/server/plainChat.ts); if the full chat fails to
 * load, chat.js sets window.SignpostShell.plain and the forms post there again, as they would with no script.
 */
(function () {
    'use strict';
    var form = document.getElementById('shell-form');
    var box = document.getElementById('shell-input');
    var log = document.getElementById('shell-log');
    var person = document.getElementById('talk-to-person');
    var config = JSON.parse(document.getElementById('signpost-config').textContent);
    var exit = document.getElementById('quick-exit');
    // "Starting the chat...": said only where a script will start it.
    document.getElementById('chat-status').hidden = false;
    // The quick exit's hint, with the Shift key, which only a script can listen for.
    Array.prototype.forEach.call(document.querySelectorAll('#quick-exit-hint, .exit-fold p'), function (hint) {
        hint.textContent = config.exitHint;
    });
    var shell = window.SignpostShell = {
        /** True once the full chat has failed to load: the forms then post to the plain page. */
        plain: false,
        queue: [],
        /** Shows a message the resident sent in the log. */
        show: function (text) {
            var bubble = document.createElement('p');
            bubble.className = 'shell-message shell-from-resident';
            // Right-to-left text (Arabic, Urdu) shows the right way round in a left-to-right page.
            bubble.dir = 'auto';
            bubble.textContent = text;
            log.appendChild(bubble);
        },
        /** Until chat.js takes over: shows the message and keeps it to send. chat.js replaces this. */
        send: function (text) {
            shell.show(text);
            shell.queue.push(text);
        }
    };
    form.addEventListener('submit', function (event) {
        if (shell.plain) return;
        event.preventDefault();
        var text = box.value.replace(/^\s+|\s+$/g, '');
        if (!text) return;
        box.value = '';
        shell.send(text);
    });
    /**
     * The quick exit: forgets the chat kept in this tab (as chat.js's endForGood, which may not have loaded yet),
     * blanks the page, and replaces it in the history with a neutral site, so Back does not return to the chat.
     */
    function quickExit(event) {
        if (event) event.preventDefault();
        if (window.SignpostChat) window.SignpostChat.endForGood();
        try {
            window.sessionStorage.removeItem('signpost.chat');
        } catch (e) {
            // Nothing was kept.
        }
        document.body.hidden = true;
        // The link's own address: self-hosted, it forgets the plain page's cookie on the way to the neutral site.
        var to = exit.href || config.quickExit;
        try {
            // In a council's page, the whole page leaves, not only the chat's frame.
            (window.top || window).location.replace(to);
        } catch (e) {
            window.location.replace(to);
        }
    }
    exit.addEventListener('click', quickExit);
    // A link that looks like a button answers the Space key as a button does.
    exit.addEventListener('keydown', function (event) {
        if (event.key === ' ') quickExit(event);
    });
    var shifts = [];
    // Shift three times within 5 seconds, as GOV.UK's "Exit this page" (not Escape, which screen readers use).
    document.addEventListener('keydown', function (event) {
        if (event.key !== 'Shift' || event.repeat) return;
        var now = Date.now();
        shifts = shifts.filter(function (t) { return now - t < 5000; });
        shifts.push(now);
        if (shifts.length >= 3) quickExit();
    });
    // shell.send, looked up at each click: once chat.js has taken over, it sends through Web Chat.
    person.addEventListener('click', function (event) {
        if (shell.plain) return;
        event.preventDefault();
        shell.send(config.talkToPerson);
    });
})();
