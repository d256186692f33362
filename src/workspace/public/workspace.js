/* The connectors' workspace: a plain page over the JSON API. No framework; text is set with textContent only. */
(function () {
    'use strict';
    var api = '/workspace/api';
    var csrf = '';
    var current = null;
    var $ = function (id) { return document.getElementById(id); };
    var STATUS = { 'new': 'New', 'claimed': 'Claimed', 'in-contact': 'In contact', 'closed': 'Closed' };
    var DID = { 'created': 'asked to be contacted', 'claimed': 'claimed it', 'released': 'gave it back to the queue',
        'reassigned': 'reassigned it', 'in-contact': 'made contact', 'closed': 'closed it', 'note': 'added a note',
        'message-sent': 'sent a message', 'relay-started': 'started a live chat', 'relay-ended': 'ended the live chat',
        'resident-message': 'wrote' };
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
        ['sign-in', 'queue', 'detail'].forEach(function (s) { $(s).hidden = s !== id; });
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
    function signedIn(res) {
        csrf = res.body.csrfToken;
        $('who').textContent = 'Signed in as ' + res.body.user.name + ' (' + res.body.user.role + ')';
        $('who').hidden = false;
        $('sign-out').hidden = false;
        loadQueue();
    }
    function loadQueue() {
        var form = $('filters');
        var q = new URLSearchParams();
        ['status', 'priority', 'need'].forEach(function (n) { if (form.elements[n].value) q.set(n, form.elements[n].value.trim()); });
        if (form.elements.overdue.checked) q.set('overdue', 'true');
        call('GET', '/escalations?' + q.toString()).then(function (res) {
            if (res.status !== 200) return problem(res);
            var rows = $('rows');
            rows.textContent = '';
            res.body.escalations.forEach(function (e) {
                var tr = document.createElement('tr');
                if (e.overdue) tr.className = 'overdue';
                var a = document.createElement('a');
                a.href = '#' + e.reference;
                a.textContent = e.reference;
                cell(tr, '').appendChild(a);
                cell(tr, STATUS[e.status]);
                cell(tr, e.priority === 'urgent' ? 'Urgent' : 'Normal', e.priority === 'urgent' ? 'urgent' : '');
                cell(tr, e.summary.needs.join(', '));
                cell(tr, (e.overdue ? 'Overdue: ' : '') + when(e.dueBy));
                cell(tr, e.assignee ? e.assignee.name : 'Nobody yet');
                rows.appendChild(tr);
            });
            if (!res.body.escalations.length) {
                var tr = document.createElement('tr');
                cell(tr, 'No requests match.').colSpan = 6;
                rows.appendChild(tr);
            }
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
    function loadDetail(reference) {
        call('GET', '/escalations/' + encodeURIComponent(reference)).then(function (res) {
            if (res.status !== 200) return problem(res);
            var e = res.body.escalation;
            current = e;
            $('detail-title').textContent = 'Request ' + e.reference;
            var dl = $('facts');
            dl.textContent = '';
            fact(dl, 'Status', STATUS[e.status] + (e.outcome ? ': ' + OUTCOME[e.outcome] : ''));
            fact(dl, 'Who has it', e.assignee ? e.assignee.name : 'Nobody yet');
            fact(dl, 'Priority', e.priority === 'urgent' ? 'Urgent (the chat touched on crisis)' : 'Normal');
            fact(dl, 'Due', (e.overdue ? 'Overdue: ' : '') + when(e.dueBy));
            fact(dl, 'Needs', e.summary.needs.join(', '));
            fact(dl, 'In their words', e.summary.inOwnWords);
            fact(dl, 'Preferences', e.summary.preferences.join('; '));
            fact(dl, 'Already suggested', e.summary.suggested.map(function (s) { return s.name; }).join('; '));
            fact(dl, 'Contact', (e.contact.name ? e.contact.name + ', ' : '') + e.contact.method + ': ' + e.contact.value);
            fact(dl, 'Best time', e.contact.bestTime);
            fact(dl, 'Consent', 'Given ' + when(e.consent.at));
            var open = e.status !== 'closed';
            $('claim').disabled = e.status !== 'new';
            $('contact').disabled = e.status !== 'claimed';
            $('release').disabled = !(e.status === 'claimed' || e.status === 'in-contact');
            $('close-form').hidden = !open || e.status === 'new';
            var ol = $('audit');
            ol.textContent = '';
            res.body.audit.forEach(function (a) {
                var li = document.createElement('li');
                li.textContent = when(a.at) + ': ' + (a.actor === 'resident' ? 'The resident' : a.actorName) + ' '
                    + (DID[a.action] || a.action)
                    + (a.detail && a.action !== 'reassigned' ? ': ' + (OUTCOME[a.detail] || a.detail) : '');
                ol.appendChild(li);
            });
            show('detail');
            $('detail-title').focus();
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
        $('sign-in-form').addEventListener('submit', function (ev) {
            ev.preventDefault();
            call('POST', '/session', { email: $('email').value, password: $('password').value }).then(function (res) {
                $('password').value = '';
                if (res.status !== 200) return say(res.body.error.message);
                say('');
                signedIn(res);
            });
        });
        $('sign-out').addEventListener('click', function () {
            call('DELETE', '/session').then(function () { location.hash = ''; location.reload(); });
        });
        $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); loadQueue(); });
        $('back').addEventListener('click', function (ev) { ev.preventDefault(); location.hash = ''; });
        window.addEventListener('hashchange', function () {
            var ref = location.hash.slice(1);
            if (ref) loadDetail(ref); else loadQueue();
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
        call('GET', '/session').then(function (res) {
            if (res.status !== 200) return show('sign-in');
            signedIn(res);
            if (location.hash.length > 1) loadDetail(location.hash.slice(1));
        });
    });
}());
