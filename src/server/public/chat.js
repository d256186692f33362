/*
 * The website chat page: gets a token from the bot's token route, then starts the official Web Chat component on
 * it. Styles are chosen for WCAG 2.2 AA contrast; suggested actions wrap (no sideways scrolling) and uploads are
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

    fetch(config.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
        .then(function (res) {
            if (!res.ok) throw new Error('token ' + res.status);
            return res.json();
        })
        .then(function (grant) {
            var directLine = window.WebChat.createDirectLine({ token: grant.token, domain: domain, webSocket: true });
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
