/*
 * The page's first moments, inlined in the page (its hash is in the Content-Security-Policy): until the full Web
 * Chat has loaded, which on a slow phone takes many seconds, the welcome is already on the page and this plain form
 * takes what the resident types. A message sent now is shown in the log and kept in window.SignpostShell.queue;
 * chat.js sends each one once when the conversation is up, and carries over anything still in the box. The "talk
 * to a person" button works the same way. Nothing typed is logged or stored by this script.
 */
(function () {
    'use strict';
    var form = document.getElementById('shell-form');
    var box = document.getElementById('shell-input');
    var log = document.getElementById('shell-log');
    var person = document.getElementById('talk-to-person');
    var config = JSON.parse(document.getElementById('signpost-config').textContent);
    var shell = window.SignpostShell = {
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
    function quickExit() {
        if (window.SignpostChat) window.SignpostChat.endForGood();
        try {
            window.sessionStorage.removeItem('signpost.chat');
        } catch (e) {
            // Nothing was kept.
        }
        document.body.hidden = true;
        try {
            // In a council's page, the whole page leaves, not only the chat's frame.
            (window.top || window).location.replace(config.quickExit);
        } catch (e) {
            window.location.replace(config.quickExit);
        }
    }
    document.getElementById('quick-exit').addEventListener('click', quickExit);
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
    person.addEventListener('click', function () {
        shell.send(config.talkToPerson);
    });
})();
