/* The connectors' workspace: a plain page over the JSON API. No framework; text is set with textContent only. */
(function () {
    'use strict';
    var api = '/workspace/api';
    var csrf = '';
    var current = null;
    var me = null;
    var labels = {};
    var poll = 0;
    /** The number of the newest live-chat message on the page: a refresh asks only for those after it. */
    var chatLast = 0;
    /** The live feed (server-sent events), while signed in. */
    var feed = null;
    /** References with a new request or message the connector has not opened yet: the count in the tab title. */
    var unseen = {};
    var baseTitle = document.title;
    var SOUND_KEY = 'signpost.workspace.sound';
    var audio = null;
    var $ = function (id) { return document.getElementById(id); };
    var STATUS = { 'new': 'New', 'claimed': 'Claimed', 'in-contact': 'In contact', 'closed': 'Closed' };
    var DID = { 'created': 'asked to be contacted', 'claimed': 'claimed it', 'released': 'gave it back to the queue',
        'reassigned': 'reassigned it', 'in-contact': 'made contact', 'closed': 'closed it', 'note': 'added a note',
        'message-sent': 'sent a message', 'relay-started': 'started a live chat', 'relay-ended': 'ended the live chat',
        'resident-message': 'wrote', 'crisis-routes-shown': 'showed the resident crisis help',
        'raised-urgent': 'made it urgent: the resident was shown crisis help after asking',
        'deletion-asked': 'asked to delete their data: their chat is no longer linked, so use their contact details',
        'repeated': 'asked again, from the same chat with the same contact details',
        'suggested': 'suggested to the resident',
        'plan-recorded': 'recorded the plan and outcome', 'exported': 'exported the message back to the GP',
        'due-rescheduled': 'moved the due time to the rule for urgent requests: contact today, or the next working '
            + 'morning' };
    var BY = { 'phone': 'phone call', 'text': 'text message', 'email': 'email' };
    /** Who the person is to the asker, for a request made on their behalf (issue 18). */
    var RELATION = { 'parent': 'a parent', 'grandparent': 'a grandparent', 'partner': 'their partner',
        'child': 'their son or daughter', 'sibling': 'a brother or sister', 'relative': 'a relative',
        'friend': 'a friend', 'neighbour': 'a neighbour', 'client': 'someone they support at work' };
    var AGREES = { 'yes': 'Yes, the asker says so', 'no': 'No, the asker says not yet',
        'unsure': 'The asker is not sure' };
    var CHANNEL = {
        'directline': 'website chat', 'webchat': 'website chat', 'msteams': 'Teams', 'sms': 'text messages',
        'terminal': 'terminal chat', 'emulator': 'Bot Framework Emulator'
    };
    var OUTCOME = { 'connected': 'Connected to a service', 'advice-given': 'Advice given',
        'could-not-contact': 'Could not contact', 'declined': 'Declined', 'referred-elsewhere': 'Referred elsewhere' };

    function call(method, path, body) {
        var headers = { 'Accept': 'application/json' };
        if (method !== 'GET') {
            headers['Content-Type'] = 'application/json';
            headers['X-CSRF-Token'] = csrf;
        }
        return fetch(api + path, { method: method, headers: headers, credentials: 'same-origin',
            body: method === 'GET' ? undefined : JSON.stringify(body || {}) })
            .then(function (res) {
                return res.json().then(function (json) { return { status: res.status, body: json }; });
            });
    }
    function say(text) { $('message').textContent = text || ''; }
    function show(id) {
        ['sign-in', 'queue', 'detail', 'directory', 'reports', 'accounts', 'curation'].forEach(function (s) {
            $(s).hidden = s !== id;
        });
        if (id !== 'detail') stopPolling();
    }
    function when(iso) {
        return iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '';
    }
    function cell(row, text, cls) {
        var td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        row.appendChild(td);
        return td;
    }
    /**
     * Gives each cell of a table's body its column's heading as data-label, so on a narrow screen, where the
     * table's rows are shown as cards (workspace.css), each value still says what it is.
     */
    function labelCells(tbody) {
        var heads = Array.prototype.map.call(tbody.parentNode.querySelectorAll('thead th'), function (th) {
            return th.textContent;
        });
        Array.prototype.forEach.call(tbody.rows, function (tr) {
            Array.prototype.forEach.call(tr.cells, function (td, i) {
                if (heads[i] && td.colSpan === 1) td.dataset.label = heads[i];
            });
        });
    }
    function signedIn(res) {
        csrf = res.body.csrfToken;
        me = res.body.user;
        $('nav').hidden = false;
        $('reports-link').hidden = me.role !== 'lead';
        $('accounts-link').hidden = me.role !== 'lead';
        // Curators work the listings, never residents' requests; leads do both.
        $('curation-link').hidden = me.role !== 'lead' && me.role !== 'curator';
        $('requests-link').hidden = me.role === 'curator';
        $('who').textContent = 'Signed in as ' + res.body.user.name + ' (' + res.body.user.role + ')';
        $('who').hidden = false;
        $('sign-out').hidden = false;
        if (me.role !== 'curator') {
            $('live').hidden = false;
            $('teams').hidden = false;
            loadTeamsLink();
            openFeed();
        }
        route();
    }
    /** Whether this account's Teams is linked, so Claim on the cards in Teams works for them. */
    function loadTeamsLink() {
        call('GET', '/teams/link').then(function (res) {
            if (res.status !== 200) { $('teams').hidden = true; return; }
            $('teams-state').textContent = res.body.linked
                ? 'Your Teams is linked: Claim on the cards in Teams claims as you.'
                : 'Link your Teams to claim requests from the cards in Teams.';
            $('teams-unlink').hidden = !res.body.linked;
        });
    }
    /** A one-time code to type to the bot in Teams: "link 12345678". */
    function makeTeamsCode() {
        call('POST', '/teams/link-code').then(function (res) {
            $('teams-code-shown').textContent = res.status === 201
                ? 'In Teams, type this to the bot within ' + res.body.minutes + ' minutes: link ' + res.body.code
                    + '. It works once.'
                : res.body.error.message;
        });
    }
    /** The tab's title with how many new requests and messages are waiting to be opened: "(2) Connectors' ...". */
    function showCount() {
        var n = Object.keys(unseen).length;
        document.title = (n ? '(' + n + ') ' : '') + baseTitle;
    }
    function seen(reference) {
        if (!unseen[reference]) return;
        delete unseen[reference];
        showCount();
    }
    /** A short, quiet tone, only when the connector has turned sound on (off by default, remembered here). */
    function chime() {
        if (!$('live-sound').checked || !window.AudioContext) return;
        // Made now if the sound was turned on before this page loaded; it plays once the page has had a click.
        if (!audio) audio = new AudioContext();
        if (audio.state === 'suspended') audio.resume();
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = 660;
        gain.gain.setValueAtTime(0.15, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
        tone.connect(gain);
        gain.connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.4);
    }
    /** Says what came, in the live region (screen readers say it once, politely), the title and the sound. */
    function announce(text, reference) {
        var news = $('live-news');
        // Emptied first, so the same words said twice are announced twice.
        news.textContent = '';
        setTimeout(function () { news.textContent = text; }, 50);
        if (!current || current.reference !== reference || $('detail').hidden) {
            unseen[reference] = true;
            showCount();
        }
        chime();
    }
    /**
     * New requests and residents' messages as they happen (GET /events). The browser reconnects by itself after
     * a dropped connection, sending the last event's id, and is told what it missed.
     */
    function openFeed() {
        if (feed || typeof EventSource === 'undefined') return;
        feed = new EventSource(api + '/events', { withCredentials: true });
        feed.addEventListener('ready', function () {
            $('live-state').textContent = '';
            // Opened, or back after a break: the queue may have changed since it was loaded.
            if (!$('queue').hidden) loadQueue();
        });
        feed.addEventListener('request', function (ev) {
            var data = JSON.parse(ev.data);
            announce('New request ' + data.reference, data.reference);
            if (!$('queue').hidden) loadQueue();
        });
        feed.addEventListener('message', function (ev) {
            var data = JSON.parse(ev.data);
            announce('New message on ' + data.reference, data.reference);
            if (current && current.reference === data.reference && !$('detail').hidden) refreshChat();
        });
        feed.addEventListener('end', function (ev) {
            closeFeed();
            var reason = JSON.parse(ev.data).reason;
            if (reason === 'shutting-down') return setTimeout(openFeed, 3000);
            show('sign-in');
            say(reason === 'expired' ? 'Your session has ended. Please sign in again.' : 'Please sign in.');
        });
        feed.addEventListener('error', function () {
            if (!feed || feed.readyState !== EventSource.CLOSED) return;
            // Refused (signed out, too many tabs, server busy): said here, and tried again in a while.
            closeFeed();
            $('live-state').textContent = 'Live updates are paused. New requests show when you reload.';
            setTimeout(function () {
                call('GET', '/session').then(function (res) {
                    if (res.status === 200) openFeed();
                    else problem(res);
                });
            }, 30000);
        });
    }
    function closeFeed() {
        if (feed) feed.close();
        feed = null;
    }
    /** Shows what the address asks for: a request (#SP-...), the reports (#reports) or the queue. */
    function route() {
        var target = location.hash.slice(1);
        if (target === 'reports') loadReports();
        else if (target === 'directory' || target.indexOf('directory/') === 0) openDirectory(target.slice(10));
        else if (target === 'accounts') loadAccounts();
        else if (target === 'curation' || (!target && me && me.role === 'curator')) loadCuration();
        else if (target) loadDetail(target);
        else loadQueue();
    }
    /** Plain labels for need ids, as the API gives them; the id itself if there is none. */
    function needs(ids) {
        return ids.map(function (id) { return labels[id] || id; }).join(', ');
    }
    /** The Need filter's suggestions: every need's label, once the API has given them. */
    function needChoices(list) {
        var datalist = $('need-list');
        if (!list || datalist.children.length) return;
        list.forEach(function (n) {
            var option = document.createElement('option');
            option.value = n.label;
            datalist.appendChild(option);
        });
    }
    /** The Language filter's suggestions: every language's name, once the API has given them. */
    function languageChoices(list) {
        var datalist = $('language-list');
        if (!list || datalist.children.length) return;
        list.forEach(function (l) {
            var option = document.createElement('option');
            option.value = l.name;
            datalist.appendChild(option);
        });
    }
    /** A request's language by name, with the interpreter wish when it was asked; blank for none kept. */
    function language(e) {
        if (!e.language) return '';
        if (e.language.interpreter === true) return e.language.name + ', interpreter wanted';
        if (e.language.interpreter === false) return e.language.name + ', no interpreter';
        return e.language.name;
    }
    function learn(more) {
        Object.keys(more || {}).forEach(function (k) { labels[k] = more[k]; });
    }
    /**
     * When first contact is owed; once a connector has marked contact, that it was made and when. Urgent means
     * "contact today" (or the next working morning when it came out of hours), so it says that, not a bare time.
     */
    function due(e) {
        if (e.firstContactAt) return 'Contact made ' + when(e.firstContactAt);
        if (e.overdue) return 'Overdue: ' + when(e.dueBy);
        if (e.priority === 'urgent') {
            var by = new Date(e.dueBy);
            var time = by.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
            if (by.toDateString() === new Date().toDateString()) return 'Contact today, by ' + time;
            return 'Contact by ' + by.toLocaleDateString('en-GB', { weekday: 'long' }) + ' ' + time;
        }
        return when(e.dueBy);
    }
    function repeated(n) { return n === 1 ? 'Once' : n + ' times'; }
    /** The queue's first page, or (`cursor`) the next one added below what is shown. */
    function loadQueue(cursor) {
        var form = $('filters');
        var q = new URLSearchParams();
        ['status', 'view', 'priority', 'need', 'language'].forEach(function (n) {
            if (form.elements[n].value) q.set(n, form.elements[n].value.trim());
        });
        if (form.elements.overdue.checked) q.set('overdue', 'true');
        if (cursor) q.set('cursor', cursor);
        call('GET', '/escalations?' + q.toString()).then(function (res) {
            if (res.status !== 200) return problem(res);
            learn(res.body.needLabels);
            needChoices(res.body.needChoices);
            languageChoices(res.body.languageChoices);
            var rows = $('rows');
            if (!cursor) rows.textContent = '';
            var more = $('more');
            more.hidden = !res.body.nextCursor;
            more.dataset.cursor = res.body.nextCursor || '';
            $('shown').textContent = 'Showing ' + (rows.children.length + res.body.escalations.length) + ' of '
                + res.body.total + '.';
            res.body.escalations.forEach(function (e) {
                var tr = document.createElement('tr');
                if (e.overdue) tr.className = 'overdue';
                if (unseen[e.reference]) tr.classList.add('fresh');
                var a = document.createElement('a');
                a.href = '#' + e.reference;
                a.textContent = e.reference;
                cell(tr, '').appendChild(a);
                cell(tr, STATUS[e.status]);
                cell(tr, (e.priority === 'urgent' ? 'Urgent' : 'Normal')
                    + (e.repeats ? ' (asked again: ' + repeated(e.repeats).toLowerCase() + ')' : ''),
                    e.priority === 'urgent' ? 'urgent' : '');
                cell(tr, needs(e.summary.needs));
                cell(tr, language(e));
                cell(tr, due(e));
                cell(tr, e.assignee ? e.assignee.name : 'Nobody yet');
                rows.appendChild(tr);
            });
            if (!cursor && !res.body.escalations.length) {
                var tr = document.createElement('tr');
                cell(tr, 'No requests match.').colSpan = 7;
                rows.appendChild(tr);
            }
            labelCells(rows);
            show('queue');
        });
    }
    function fact(dl, label, value) {
        if (!value) return;
        var dt = document.createElement('dt');
        dt.textContent = label;
        var dd = document.createElement('dd');
        dd.textContent = value;
        dl.appendChild(dt);
        dl.appendChild(dd);
    }
    /** Loads a request; `quiet` refreshes it in place (the live chat) without moving the keyboard focus. */
    function loadDetail(reference, quiet) {
        call('GET', '/escalations/' + encodeURIComponent(reference)).then(function (res) {
            if (res.status !== 200) return problem(res);
            learn(res.body.needLabels);
            var e = res.body.escalation;
            current = e;
            seen(e.reference);
            $('detail-title').textContent = 'Request ' + e.reference;
            var dl = $('facts');
            dl.textContent = '';
            fact(dl, 'Status', STATUS[e.status] + (e.outcome ? ': ' + OUTCOME[e.outcome] : ''));
            fact(dl, 'Who has it', e.assignee ? e.assignee.name : 'Nobody yet');
            fact(dl, 'Priority', e.priority === 'urgent' ? 'Urgent (the chat touched on crisis)' : 'Normal');
            fact(dl, 'Due', due(e));
            if (e.repeats) fact(dl, 'Asked again', repeated(e.repeats)
                + ', by the same resident with the same contact details. What was new is in the history below.');
            sameContact(dl, e);
            onBehalf(dl, e);
            fact(dl, 'Needs', needs(e.summary.needs));
            fact(dl, 'In their words', e.summary.inOwnWords);
            fact(dl, 'Preferences', e.summary.preferences.join('; '));
            fact(dl, 'Already suggested', e.summary.suggested.map(function (s) { return s.name; }).join('; '));
            fact(dl, 'Contact', (e.contact.name ? e.contact.name + ', ' : '') + e.contact.method + ': ' + e.contact.value);
            fact(dl, 'Best time', e.contact.bestTime);
            fact(dl, 'Language', language(e));
            fact(dl, 'Consent', 'Given ' + when(e.consent.at)
                + (e.consent.transcriptShared ? ', including this chat' : ''));
            showBefore(e.transcript || []);
            var open = e.status !== 'closed';
            $('claim').disabled = e.status !== 'new';
            $('contact').disabled = e.status !== 'claimed';
            $('release').disabled = !(e.status === 'claimed' || e.status === 'in-contact');
            $('close-form').hidden = !open || e.status === 'new';
            var ol = $('audit');
            ol.textContent = '';
            res.body.audit.forEach(function (a) {
                var li = document.createElement('li');
                var who = a.actor === 'resident' ? 'The resident' : a.actor === 'system' ? 'Signpost' : a.actorName;
                li.textContent = when(a.at) + ': ' + who + ' '
                    + (DID[a.action] || a.action)
                    + (a.repeat ? repeatNews(a.repeat)
                        : a.detail && a.action !== 'reassigned' ? ': ' + (OUTCOME[a.detail] || a.detail) : '');
                ol.appendChild(li);
            });
            showChat(e, res.body.messages, res.body.chat);
            showPlan(e, quiet);
            $('find-support').href = '#directory/' + e.reference;
            $('find-support').hidden = !open;
            if (quiet) return;
            show('detail');
            $('detail-title').focus();
            if (e.relay) startPolling(); else stopPolling();
        });
    }
    /**
     * The directory, searched as the bot does. Opened from a request (#directory/SP-...), listings can be chosen
     * (up to 3) and sent to the resident in their chat.
     */
    var forReference = '';
    /** How the request opened from allows sending outside the chat ('sms', 'email'), or null: from the server. */
    var sendBy = null;
    var BY_BUTTON = { 'sms': 'Send by text', 'email': 'Send by e-mail' };
    var BY_SENT = { 'sms': 'by text', 'email': 'by e-mail' };
    function openDirectory(reference) {
        forReference = reference || '';
        sendBy = current && current.reference === forReference ? current.sendBy || null : null;
        var note = $('directory-for');
        note.hidden = !forReference;
        directoryNote();
        if (forReference && !(current && current.reference === forReference)) {
            call('GET', '/escalations/' + encodeURIComponent(forReference)).then(function (res) {
                if (res.status !== 200 || res.body.escalation.reference !== forReference) return;
                sendBy = res.body.escalation.sendBy || null;
                directoryNote();
                chosenChanged();
            });
        }
        $('send-suggestions').hidden = true;
        $('send-by').hidden = true;
        show('directory');
        $('directory-title').focus();
        if ($('listings').children.length) searchDirectory();
    }
    function searchDirectory(offset) {
        var form = $('directory-form');
        var q = new URLSearchParams();
        ['text', 'need', 'place'].forEach(function (n) {
            if (form.elements[n].value.trim()) q.set(n, form.elements[n].value.trim());
        });
        if (form.elements.free.checked) q.set('free', 'true');
        if (form.elements.online.checked) q.set('online', 'true');
        if (offset) q.set('offset', String(offset));
        call('GET', '/directory?' + q.toString()).then(function (res) {
            if (res.status !== 200) return problem(res);
            var d = res.body;
            var read = [];
            if (d.needs.length) read.push('Needs: ' + d.needs.map(function (n) { return n.label; }).join(', '));
            if (d.place) read.push('near ' + d.place);
            if (d.placeUnknown) read.push('the place was not found, so distance is not used');
            $('directory-understood').textContent = (read.length ? read.join('; ') + '. ' : '')
                + (d.results.length ? 'Showing ' + (offset ? 'more' : d.results.length) + ' results.'
                    : 'Nothing found. Try other words or fewer filters.');
            var ol = $('listings');
            if (!offset) ol.textContent = '';
            ol.start = 1;
            d.results.forEach(function (r) { ol.appendChild(listing(r)); });
            var more = $('directory-more');
            more.hidden = d.results.length < 5;
            more.dataset.offset = String((offset || 0) + d.results.length);
            chosenChanged();
        });
    }
    function line(parent, label, value) {
        if (!value) return;
        var p = document.createElement('p');
        var b = document.createElement('strong');
        b.textContent = label + ': ';
        p.appendChild(b);
        p.appendChild(document.createTextNode(value));
        parent.appendChild(p);
    }
    /** One listing: what the bot says of it, why it came up, its details on request, and a box to choose it. */
    function listing(r) {
        var li = document.createElement('li');
        var h = document.createElement('h3');
        h.textContent = r.name;
        li.appendChild(h);
        line(li, 'What', r.summary);
        line(li, 'Where', r.where);
        line(li, 'When', r.when);
        line(li, 'Cost', r.cost);
        line(li, 'Contact', [r.phone, r.email, r.url].filter(Boolean).join(', '));
        line(li, 'Why', r.why.join(' '));
        var more = document.createElement('details');
        var summary = document.createElement('summary');
        summary.textContent = 'More about ' + r.name;
        more.appendChild(summary);
        more.addEventListener('toggle', function () {
            if (!more.open || more.dataset.loaded) return;
            more.dataset.loaded = '1';
            call('GET', '/directory/' + encodeURIComponent(r.id)).then(function (res) {
                if (res.status !== 200) return problem(res);
                var l = res.body.listing;
                line(more, 'About', l.description);
                line(more, 'Who it is for', l.whoFor);
                line(more, 'Access', l.access);
                line(more, 'Welcome', l.welcome);
                line(more, 'Last checked', l.checked);
            });
        });
        li.appendChild(more);
        if (forReference) {
            var label = document.createElement('label');
            label.className = 'choose';
            var box = document.createElement('input');
            box.type = 'checkbox';
            box.value = r.id;
            box.dataset.name = r.name;
            box.addEventListener('change', chosenChanged);
            label.appendChild(box);
            label.appendChild(document.createTextNode(' Choose ' + r.name));
            li.appendChild(label);
        }
        return li;
    }
    function chosen() {
        return Array.prototype.filter.call($('listings').querySelectorAll('input[type=checkbox]'), function (b) {
            return b.checked;
        });
    }
    /** What the directory is for: the request, and the ways chosen listings can go to the resident. */
    function directoryNote() {
        $('directory-for').textContent = forReference ? 'For request ' + forReference + '. Choose up to 3 and send '
            + 'them to the resident in their chat' + (sendBy ? ', or ' + BY_SENT[sendBy] + ' (they asked to be '
            + 'contacted that way).' : '.') : '';
    }
    function chosenChanged() {
        var n = chosen().length;
        var send = $('send-suggestions');
        send.hidden = !forReference || n === 0;
        send.disabled = n > 3;
        send.textContent = n > 3 ? 'Choose 3 at most' : 'Send ' + n + ' to the resident';
        var by = $('send-by');
        by.hidden = !forReference || n === 0 || !sendBy;
        by.disabled = n > 3;
        if (sendBy) by.textContent = BY_BUTTON[sendBy];
    }
    function sendSuggestions() {
        var ids = chosen().map(function (b) { return b.value; });
        var ref = forReference;
        call('POST', '/escalations/' + encodeURIComponent(ref) + '/suggestions', { ids: ids }).then(function (res) {
            if (res.status >= 300) return problem(res);
            say('Sent to the resident: ' + res.body.suggested.join('; ') + '.');
            location.hash = ref;
        });
    }
    /** Sends the chosen listings by text or e-mail to the contact the resident gave, the way they chose. */
    function sendSuggestionsBy() {
        var ids = chosen().map(function (b) { return b.value; });
        var ref = forReference;
        var by = sendBy;
        $('send-by').disabled = true;
        call('POST', '/escalations/' + encodeURIComponent(ref) + '/suggestions/send', { ids: ids, by: by })
            .then(function (res) {
                $('send-by').disabled = false;
                if (res.status >= 300) return problem(res);
                say('Sent ' + BY_SENT[by] + ': ' + res.body.suggested.join('; ') + '.');
                location.hash = ref;
            });
    }
    /** What a repeat brought that the request did not have: urgency, needs (by their labels), a way of contact. */
    function repeatNews(r) {
        var parts = [];
        if (r.urgent) parts.push('after crisis help, so it is now urgent');
        if (r.needs && r.needs.length) parts.push('new needs: ' + needs(r.needs));
        if (r.method) parts.push('asked to be contacted by ' + BY[r.method]);
        return parts.length ? ': ' + parts.join('; ') : '';
    }
    /**
     * Asked for someone else (issue 18): who the person is to the asker, whether a professional referred them, and
     * whether the person knows and agrees. The contact details are the asker's, or the person's when `contactOf` says.
     */
    function onBehalf(dl, e) {
        var b = e.onBehalf;
        if (!b) return;
        var who = b.word ? 'their ' + b.word : (RELATION[b.relation] || 'someone else');
        // Whom to contact (issue 18): the person themselves when the asker said so, else the asker.
        fact(dl, 'For someone else', 'The person who asked is asking for ' + who + (b.contactOf === 'person'
            ? '. The contact details are the person\'s own, given by the person who asked: contact them.'
            : '. The contact details are theirs, not the person\'s.'));
        if (b.professional) {
            fact(dl, 'Referred by', 'Referred by a professional (such as a support worker or a GP practice)');
        }
        fact(dl, 'Do they know and agree?', AGREES[b.agrees] || 'Not asked');
    }
    /** Other residents' open requests with the same number or e-mail when this one came in, as links. */
    function sameContact(dl, e) {
        if (!e.sameContactAs || !e.sameContactAs.length) return;
        var dt = document.createElement('dt');
        dt.textContent = 'Same contact details';
        var dd = document.createElement('dd');
        dd.appendChild(document.createTextNode(
            (e.contact.method === 'email' ? 'Same e-mail address as ' : 'Same phone number as ')));
        e.sameContactAs.forEach(function (reference, i) {
            if (i) dd.appendChild(document.createTextNode(', '));
            var a = document.createElement('a');
            a.href = '#' + reference;
            a.textContent = reference;
            dd.appendChild(a);
        });
        dd.appendChild(document.createTextNode(
            ', open from another chat when this one came in. It may be a shared phone or a support worker: '
            + 'you may want to handle them together.'));
        dl.appendChild(dt);
        dl.appendChild(dd);
    }
    /** The chat before the request, shared only when the resident agreed; collapsed until opened. */
    function showBefore(entries) {
        var ol = $('before-chat');
        ol.textContent = '';
        entries.forEach(function (t) {
            var li = document.createElement('li');
            li.className = t.from === 'resident' ? 'from-resident' : 'from-bot';
            var said = document.createElement('span');
            said.className = 'said';
            said.textContent = (t.from === 'resident' ? 'The resident' : 'The bot') + ', ' + when(t.at);
            li.appendChild(said);
            li.appendChild(document.createTextNode(t.text));
            ol.appendChild(li);
        });
        $('before').hidden = !entries.length;
    }
    var GP_AGREEMENT = { 'not-asked': 'not asked yet', 'agreed': 'they agreed', 'declined': 'they said no' };
    var PLAN_FIELDS = { 'plan-needs': 'needsAndConcerns', 'plan-matters': 'whatMatters',
        'plan-support': 'supportOffered', 'plan-outcome': 'outcome' };
    /** When the plan in the boxes was saved (null: none yet), sent with a save so another's is never overwritten. */
    var planLoadedAt = null;
    /**
     * The plan and outcome (PRSB sections), for the holder or a lead, and the export to the GP once the request is
     * closed and the person agreed. A quiet refresh (the live chat) leaves what is being typed alone.
     */
    function showPlan(e, quiet) {
        var mine = me.role === 'lead' || (e.assignee && e.assignee.id === me.id);
        $('plan-area').hidden = !mine;
        if (!mine) return;
        var plan = e.plan;
        if (!quiet) {
            planLoadedAt = plan ? plan.recordedAt : null;
            Object.keys(PLAN_FIELDS).forEach(function (id) { $(id).value = plan ? plan[PLAN_FIELDS[id]] : ''; });
            var agreement = plan ? plan.gpAgreement : 'not-asked';
            document.querySelectorAll('#plan-form input[name="gp"]').forEach(function (r) {
                r.checked = r.value === agreement;
            });
        }
        $('plan-recorded').textContent = plan ? 'Last saved by ' + plan.recordedBy.name + ', ' + when(plan.recordedAt)
            + '. GP: ' + GP_AGREEMENT[plan.gpAgreement]
            + (plan.gpAgreementAt ? ' (recorded ' + when(plan.gpAgreementAt) + ')' : '') + '.' : 'No plan saved yet.';
        var agreed = plan && plan.gpAgreement === 'agreed';
        var closed = e.status === 'closed';
        $('export-gp').disabled = !(closed && agreed);
        $('export-state').textContent = !closed ? 'You can export it for the GP once the request is closed.'
            : !agreed ? 'You can export it only if the person agreed. Ask them, then save the plan.'
            : 'NHS number, date of birth and address are marked "not collected": Signpost does not ask for them.';
    }
    /** Saves the file the API gave: a download, named as the API names it. */
    function download(name, json) {
        var url = URL.createObjectURL(new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' }));
        var a = document.createElement('a');
        a.href = url;
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }
    /** The live chat: its messages both ways, and the reply box and End chat for the holder or a lead. */
    function showChat(e, messages, chat) {
        var mayChat = (e.status === 'claimed' || e.status === 'in-contact')
            && (me.role === 'lead' || (e.assignee && e.assignee.id === me.id));
        $('chat').textContent = '';
        chatLast = 0;
        addMessages(messages, chat);
        $('chat-state').textContent = e.relay
            ? e.relay.name + ' has the chat. The bot is silent except for crisis help.'
            : e.status === 'closed' ? 'This request is closed, so nobody can write to the resident from here.'
            : (!e.canReply ? 'The resident cannot be reached in their chat. Please use their contact details.'
                : (mayChat ? 'Your first message tells the resident they are talking with a person.'
                    : (e.status === 'new' ? 'Claim this request to write to the resident.'
                        : 'Only the person who has this request, or a lead, can write to the resident.')));
        $('reply-form').hidden = !(mayChat && e.canReply);
        $('end-chat').hidden = !(mayChat && e.relay);
        $('presence').textContent = presence(e.presence);
    }
    /** Whether the resident is in their chat: where, and when they were last seen there. */
    function presence(p) {
        if (!p) return '';
        var where = CHANNEL[p.channel] || p.channel;
        var seen = p.lastSeenAt ? 'last seen ' + when(p.lastSeenAt) : 'not seen since the request was made';
        if (p.here === true) return 'The resident is in the chat now (' + where + ', ' + seen + ').';
        if (p.here === false) {
            return 'The resident has left the chat (' + where + ', ' + seen + '). '
                + 'A message would not reach them. Please use their contact details.';
        }
        return 'Resident\'s chat: ' + where + ', ' + seen + '.';
    }
    /**
     * Adds the messages the page does not have yet, keeps as many as the store does (the newest), and says how many
     * earlier ones are no longer kept.
     */
    function addMessages(messages, chat) {
        var ol = $('chat');
        messages.forEach(function (m) {
            if (m.n <= chatLast) return;
            chatLast = m.n;
            var li = document.createElement('li');
            li.className = m.from === 'resident' ? 'from-resident'
                : (m.from === 'signpost' ? 'from-signpost' : 'from-connector');
            var said = document.createElement('span');
            said.className = 'said';
            said.textContent = (m.from === 'resident' ? 'The resident' : (m.from === 'signpost' ? 'Signpost' : m.name))
                + ', ' + when(m.at);
            li.appendChild(said);
            // The bot showed crisis routes: say so plainly, so the connector can check the resident is safe.
            li.appendChild(document.createTextNode(m.from === 'signpost'
                ? 'Crisis help was shown to the resident (' + m.text + '). Please check they are safe.' : m.text));
            if (m.delivered !== undefined) {
                // Whether the connector's message reached the resident's chat.
                var mark = document.createElement('span');
                mark.className = m.delivered ? 'delivered' : 'not-delivered';
                mark.textContent = m.delivered ? 'Delivered' : 'Not delivered: the resident did not get this';
                li.appendChild(mark);
            }
            ol.appendChild(li);
        });
        while (ol.children.length > chat.keeps) ol.removeChild(ol.firstChild);
        ol.hidden = !ol.children.length;
        var dropped = $('chat-dropped');
        dropped.hidden = !chat.dropped;
        dropped.textContent = !chat.dropped ? '' : (chat.dropped === 1 ? '1 earlier message is' : chat.dropped
            + ' earlier messages are') + ' no longer kept. Only the last ' + chat.keeps + ' messages are kept.';
    }
    function startPolling() {
        stopPolling();
        // Residents' replies arrive in the store; look for new ones (only those) while the chat is live.
        poll = setInterval(function () {
            if (!current || !current.relay || $('detail').hidden) return;
            refreshChat();
        }, 5000);
    }
    /** The live chat's messages after the last one shown (the feed says when a resident wrote; a timer too). */
    function refreshChat() {
        var reference = current.reference;
        call('GET', '/escalations/' + encodeURIComponent(reference) + '/messages?after=' + chatLast)
            .then(function (res) {
                if (res.status !== 200 || !current || current.reference !== reference) return;
                addMessages(res.body.messages, res.body.chat);
                // The chat ended or the request moved on: show the request as it now is.
                if (!res.body.live.relay || res.body.live.status !== current.status) loadDetail(reference, true);
            });
    }
    function stopPolling() {
        if (poll) clearInterval(poll);
        poll = 0;
    }
    function bars(id, list, empty) {
        var ul = $(id);
        ul.textContent = '';
        // A count shown as "fewer than 5" gets one bar length whatever it is, so the bar cannot tell it either.
        function length(b) { return b.shown && b.shown !== String(b.count) ? 2.5 : b.count; }
        var most = list.reduce(function (m, b) { return Math.max(m, length(b)); }, 0);
        list.forEach(function (b) {
            var li = document.createElement('li');
            var name = document.createElement('span');
            name.textContent = b.label;
            var bar = document.createElement('span');
            // A zero gets no bar at all, so that it cannot be read as a small number.
            bar.className = b.count ? 'bar' : 'bar zero';
            bar.setAttribute('aria-hidden', 'true');
            // Set through the style object, which the page's content security policy allows (inline styles it
            // does not).
            bar.style.width = (most ? (100 * length(b)) / most : 0) + '%';
            var value = document.createElement('span');
            value.className = 'bar-value';
            value.textContent = b.shown || String(b.count);
            li.appendChild(name);
            li.appendChild(bar);
            li.appendChild(value);
            ul.appendChild(li);
        });
        if (!list.length) {
            var li = document.createElement('li');
            li.textContent = empty;
            ul.appendChild(li);
        }
    }
    function day(isoDate) {
        return new Date(isoDate + 'T00:00:00Z')
            .toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
    }
    function loadReports() {
        call('GET', '/reports?weeks=' + encodeURIComponent($('report-form').elements.weeks.value)).then(function (res) {
            if (res.status !== 200) return problem(res);
            var r = res.body;
            var m = r.firstContact.medianMinutes;
            var wait = m === null ? 'no request has been marked as in contact yet'
                : (m < 120 ? m + ' minutes' : Math.round(m / 6) / 10 + ' hours');
            $('report-summary').textContent = 'Weeks starting ' + day(r.from) + ' to ' + day(r.to)
                + '. Median time from a request to first contact: ' + wait
                + (r.firstContact.count ? ' (' + r.firstContact.shown + ' requests marked as in contact).' : '.');
            bars('chart-weeks', r.perWeek.map(function (w) {
                return { label: 'Week of ' + day(w.week), count: w.total, shown: w.shown };
            }), 'No requests.');
            bars('chart-needs', r.byNeed, 'No requests.');
            bars('chart-outcomes', r.byOutcome, 'No requests.');
            bars('chart-unmet', r.unmet, 'Every search found something.');
            show('reports');
            $('reports-title').focus();
        });
    }
    /** Leads: the accounts, with whether each is locked, and an Unlock button for those that are. */
    function loadAccounts() {
        call('GET', '/users').then(function (res) {
            if (res.status !== 200) return problem(res);
            var rows = $('account-rows');
            rows.textContent = '';
            res.body.users.forEach(function (u) {
                var tr = document.createElement('tr');
                cell(tr, u.name);
                cell(tr, u.email);
                cell(tr, u.role === 'lead' ? 'Lead' : u.role === 'curator' ? 'Curator' : 'Connector');
                var state = cell(tr, u.locked ? 'Locked until ' + when(u.lockedUntil) + ' ' : 'Can sign in');
                if (u.locked) {
                    var b = document.createElement('button');
                    b.type = 'button';
                    b.textContent = 'Unlock ' + u.name;
                    b.addEventListener('click', function () {
                        call('POST', '/users/' + encodeURIComponent(u.id) + '/unlock', {}).then(function (r) {
                            if (r.status >= 300) return problem(r);
                            say(u.name + ' can sign in again now.');
                            loadAccounts();
                        });
                    });
                    state.appendChild(b);
                }
                rows.appendChild(tr);
            });
            labelCells(rows);
            show('accounts');
        });
    }
    var PROBLEM = { 'closed': 'has closed', 'phone': 'number does not work', 'time': 'wrong time',
        'place': 'wrong place', 'other': 'something else' };
    var FLAG = { 'cannot-import': 'Cannot be imported as it is', 'no-need': 'No need found',
        'not-a-service': 'Looks like a business or an event', 'seasonal-or-ended': 'Looks seasonal or ended',
        'no-contact': 'No way to contact', 'no-place': 'No place', 'cost-unclear': 'Cost unclear',
        'cost-contradictory': 'Cost contradictory' };
    var DECIDED = { 'fixed': 'Reports marked fixed', 'checked': 'Marked checked', 'hidden': 'Hidden from suggestions',
        'shown': 'Shown in suggestions again' };
    function plural(n, one) { return n + ' ' + one + (n === 1 ? '' : 's'); }
    /** A button whose visible word is short and whose name says which listing (for screen readers too). */
    function listingButton(word, name, onClick) {
        var b = document.createElement('button');
        b.type = 'button';
        b.appendChild(document.createTextNode(word));
        var hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = ' ' + name;
        b.appendChild(hidden);
        b.addEventListener('click', onClick);
        return b;
    }
    /** Curators and leads: the listings to check, and the actions on each. */
    function loadCuration() {
        var reason = $('curation-form').elements.reason.value;
        call('GET', '/curation' + (reason ? '?reason=' + encodeURIComponent(reason) : '')).then(function (res) {
            if (res.status !== 200) return problem(res);
            var q = res.body;
            $('stale-days').textContent = q.staleAfterDays + ' days';
            var rows = $('curation-rows');
            rows.textContent = '';
            q.items.forEach(function (item) {
                var tr = document.createElement('tr');
                var name = cell(tr, item.name);
                var org = document.createElement('span');
                org.className = 'said';
                org.textContent = item.organization;
                name.appendChild(org);
                var r = item.reports;
                cell(tr, r ? plural(r.count, 'report') + ': ' + Object.keys(r.problems).map(function (p) {
                    return r.problems[p] + ' ' + (PROBLEM[p] || p);
                }).join(', ') + '. ' + (r.firstAt === r.lastAt ? when(r.lastAt) : when(r.firstAt) + ' to '
                    + when(r.lastAt)) : 'None');
                cell(tr, day(item.checkedOn) + ' ' + item.checkedOn.slice(0, 4) + (item.stale ? ' (past its check date)'
                    : ''), item.stale ? 'urgent' : '');
                cell(tr, item.review.length ? item.review.map(function (n) {
                    return (FLAG[n.flag] || n.flag) + ': ' + n.detail;
                }).join('. ') : 'Nothing flagged');
                var d = item.decision;
                var last = d && d.audit.length ? d.audit[d.audit.length - 1] : null;
                cell(tr, !d ? 'None yet' : d.lapsed
                    ? 'The feed has changed this listing since it was hidden or checked, so that no longer applies.'
                    : (d.hidden && last.action !== 'hidden' ? 'Hidden from suggestions. ' : '') + DECIDED[last.action]
                        + (last.actor === me.id ? ' by you, ' : ', ') + when(last.at) + '.');
                var actions = cell(tr, '');
                actions.className = 'row-actions';
                var act = function (action, said) {
                    return function () {
                        var body = { action: action };
                        // A fix clears only the reports this page showed: one made since stays for a second look.
                        if (action === 'fixed' && r) body.reportsUpTo = r.lastAt;
                        call('POST', '/curation/' + encodeURIComponent(item.id), body).then(function (x) {
                            if (x.status >= 300) return problem(x);
                            say(said + ' ' + item.name + '.');
                            loadCuration();
                        });
                    };
                };
                if (r) actions.appendChild(listingButton('Mark fixed', item.name, act('fixed', 'Marked fixed:')));
                actions.appendChild(listingButton('Checked today', item.name, act('checked', 'Marked checked today:')));
                actions.appendChild(d && d.hidden
                    ? listingButton('Show again', item.name, act('shown', 'Shown in suggestions again:'))
                    : listingButton('Hide', item.name, act('hidden', 'Hidden from suggestions:')));
                rows.appendChild(tr);
            });
            labelCells(rows);
            $('curation-shown').textContent = q.total === 0 ? 'Nothing to check.'
                : 'Showing ' + q.items.length + ' of ' + plural(q.total, 'listing') + '.';
            show('curation');
        });
    }
    function problem(res) {
        if (res.status === 401) {
            show('sign-in');
            return say('Please sign in.');
        }
        say(res.body && res.body.error ? res.body.error.message : 'Something went wrong. Please try again.');
    }
    function act(path, body, done) {
        call('POST', '/escalations/' + encodeURIComponent(current.reference) + path, body).then(function (res) {
            if (res.status >= 300) return problem(res);
            say(done);
            loadDetail(current.reference);
        });
    }

    document.addEventListener('DOMContentLoaded', function () {
        $('detail-title').tabIndex = -1;
        $('reports-title').tabIndex = -1;
        $('sign-in-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            call('POST', '/session', { email: $('email').value, password: $('password').value }).then(function (res) {
                $('password').value = '';
                if (res.status !== 200) return say(res.body.error.message);
                say('');
                signedIn(res);
            });
        });
        $('teams-code').addEventListener('click', makeTeamsCode);
        $('teams-unlink').addEventListener('click', function () {
            call('DELETE', '/teams/link').then(function () {
                $('teams-code-shown').textContent = 'Unlinked. Claim in Teams no longer works for you.';
                loadTeamsLink();
            });
        });
        $('sign-out').addEventListener('click', function () {
            closeFeed();
            call('DELETE', '/session').then(function () { location.hash = ''; location.reload(); });
        });
        var sound = $('live-sound');
        try {
            sound.checked = localStorage.getItem(SOUND_KEY) === 'on';
        } catch (e) {
            sound.checked = false;
        }
        sound.addEventListener('change', function () {
            try {
                localStorage.setItem(SOUND_KEY, sound.checked ? 'on' : 'off');
            } catch (e) {
                // Not remembered (private browsing): it still works on this page.
            }
            // Browsers let a page make sound only after the person did something on it: this click.
            if (sound.checked && !audio && window.AudioContext) audio = new AudioContext();
            if (audio && audio.state === 'suspended') audio.resume();
        });
        $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); loadQueue(); });
        $('more').addEventListener('click', function () { loadQueue($('more').dataset.cursor); });
        $('back').addEventListener('click', function (ev) { ev.preventDefault(); location.hash = ''; });
        window.addEventListener('hashchange', route);
        $('report-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadReports(); });
        $('curation-form').addEventListener('submit', function (ev) { ev.preventDefault(); loadCuration(); });
        $('directory-title').tabIndex = -1;
        $('directory-form').addEventListener('submit', function (ev) { ev.preventDefault(); searchDirectory(); });
        $('directory-more').addEventListener('click', function () {
            searchDirectory(Number($('directory-more').dataset.offset));
        });
        $('send-suggestions').addEventListener('click', sendSuggestions);
        $('send-by').addEventListener('click', sendSuggestionsBy);
        $('reply-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            var ref = current.reference;
            call('POST', '/escalations/' + encodeURIComponent(ref) + '/messages', { text: $('reply').value })
                .then(function (res) {
                    if (res.status >= 300) {
                        problem(res);
                        // A message that did not reach them is kept in the chat, marked: show it there.
                        if (res.body && res.body.error && res.body.error.code === 'NotDelivered') {
                            $('reply').value = '';
                            loadDetail(ref, true);
                        }
                        return;
                    }
                    // Cleared only once sent, so nothing typed is lost when sending fails.
                    $('reply').value = '';
                    say('Sent to the resident.');
                    loadDetail(ref, true);
                    startPolling();
                });
        });
        $('end-chat').addEventListener('click', function () {
            act('/end-chat', {}, 'Chat ended. The bot has told the resident and will answer them again.');
        });
        $('claim').addEventListener('click', function () { act('/claim', {}, 'You have claimed this request.'); });
        $('contact').addEventListener('click', function () { act('/contact', {}, 'Marked as in contact.'); });
        $('release').addEventListener('click', function () { act('/release', {}, 'Given back to the queue.'); });
        $('note-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            act('/notes', { text: $('note').value }, 'Note added.');
            $('note').value = '';
        });
        $('close-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            act('/close', { outcome: $('outcome').value }, 'Closed.');
        });
        $('plan-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            var body = {};
            Object.keys(PLAN_FIELDS).forEach(function (id) { body[PLAN_FIELDS[id]] = $(id).value; });
            var chosen = document.querySelector('#plan-form input[name="gp"]:checked');
            body.gpAgreement = chosen ? chosen.value : 'not-asked';
            body.loadedRecordedAt = planLoadedAt;
            call('POST', '/escalations/' + encodeURIComponent(current.reference) + '/plan', body).then(function (res) {
                // Someone else saved since this page loaded it: say so, and leave what was typed in the boxes.
                if (res.status === 409 && res.body.error.code === 'PlanChanged') {
                    return say('Someone else changed this plan; reload to see it. '
                        + 'What you typed is still here and was not saved: copy it first.');
                }
                if (res.status >= 300) return problem(res);
                say('Plan saved.');
                loadDetail(current.reference);
            });
        });
        $('export-gp').addEventListener('click', function () {
            var ref = current.reference;
            call('POST', '/escalations/' + encodeURIComponent(ref) + '/gp-message', {}).then(function (res) {
                if (res.status !== 200) return problem(res);
                var name = ref + '-message-to-gp.json';
                download(name, res.body);
                say('Exported as ' + name + '. The history says you exported it.');
                loadDetail(ref, true);
            });
        });
        call('GET', '/session').then(function (res) {
            if (res.status !== 200) return show('sign-in');
            signedIn(res);
        });
    });
}());
