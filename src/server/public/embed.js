/*
 * Signpost's embed script: one <script> tag on a council's or charity's page adds a "Chat with ..." button that
 * opens the chat in a panel (an iframe of this server's page). Keyboard and screen-reader friendly: the button
 * says whether the panel is open, Escape closes it, focus returns to the button.
 */
(function () {
    'use strict';
    var labels = __SIGNPOST_EMBED__;
    var script = document.currentScript;
    var origin = new URL(script.src).origin;
    var panel = null;

    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = labels.open;
    button.setAttribute('aria-expanded', 'false');
    button.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;min-height:48px;'
        + 'padding:12px 18px;border:2px solid #ffffff;border-radius:24px;background:#0b3d6e;color:#ffffff;'
        + 'font:700 16px system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.35)';

    function close() {
        if (!panel) return;
        panel.remove();
        panel = null;
        button.textContent = labels.open;
        button.setAttribute('aria-expanded', 'false');
        button.focus();
    }

    function open() {
        panel = document.createElement('iframe');
        // data-lang="cy" on the script tag opens the chat in that language (a Welsh page's chat in Welsh).
        var lang = script.getAttribute('data-lang');
        panel.src = origin + '/?embed=1' + (lang ? '&lang=' + encodeURIComponent(lang) : '');
        panel.title = labels.open;
        panel.id = 'signpost-chat-panel';
        panel.style.cssText = 'position:fixed;right:16px;bottom:80px;z-index:2147483000;'
            + 'width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 100px));border:2px solid #0b3d6e;'
            + 'border-radius:12px;background:#ffffff;box-shadow:0 4px 16px rgba(0,0,0,.35)';
        document.body.appendChild(panel);
        button.textContent = labels.close;
        button.setAttribute('aria-expanded', 'true');
        button.setAttribute('aria-controls', panel.id);
        panel.focus();
    }

    button.addEventListener('click', function () { if (panel) close(); else open(); });
    document.addEventListener('keydown', function (event) { if (event.key === 'Escape') close(); });
    document.body.appendChild(button);
})();
