/*
 * app.js — the little script of the web view (served from /static, never
 * inline: the CSP forbids inline script).  Keyboard triage on the inbox:
 *   j / k    next / previous row        Enter / o  open the alert
 *   a        acknowledge                e          escalate
 *   c        close (asks for a reason)  Esc        cancel
 * Triage goes through the JSON API with the page's CSRF token; the page
 * reloads to show the new state.  Nothing here writes HTML from data.
 */
(function () {
	'use strict';

	function csrf() {
		var m = document.querySelector('meta[name="csrf-token"]');
		return m ? m.getAttribute('content') : '';
	}

	function triage(id, action) {
		return fetch('/api/v1/groups/' + encodeURIComponent(id) +
		    '/triage', {
			method: 'POST',
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/json',
				'X-CSRF-Token': csrf()
			},
			body: JSON.stringify({ action: action })
		}).then(function (r) {
			if (!r.ok)
				document.body.classList.add('triage-failed');
			window.location.reload();
		});
	}

	function inbox() {
		var table = document.getElementById('inbox');
		var panel = document.getElementById('kbd-close');
		var rows, cur = -1;

		if (!table)
			return;
		rows = table.querySelectorAll('tbody tr');

		function select(i) {
			if (rows.length === 0)
				return;
			if (i < 0)
				i = 0;
			if (i >= rows.length)
				i = rows.length - 1;
			if (cur >= 0)
				rows[cur].classList.remove('sel');
			cur = i;
			rows[cur].classList.add('sel');
			rows[cur].focus();
		}

		function selected() {
			return cur >= 0 ? rows[cur].getAttribute('data-id') :
			    null;
		}

		Array.prototype.forEach.call(rows, function (row, i) {
			row.addEventListener('click', function () {
				select(i);
			});
		});

		document.getElementById('kbd-cancel').addEventListener('click',
		    function () {
			panel.hidden = true;
		});

		document.addEventListener('keydown', function (ev) {
			var t = ev.target.tagName, id;

			if (t === 'INPUT' || t === 'SELECT' ||
			    t === 'TEXTAREA' || ev.ctrlKey || ev.metaKey ||
			    ev.altKey) {
				if (ev.key === 'Escape')
					panel.hidden = true;
				return;
			}
			id = selected();
			switch (ev.key) {
			case 'j': select(cur + 1); break;
			case 'k': select(cur - 1); break;
			case 'Enter':
			case 'o':
				if (id)
					window.location.href = '/alerts/' +
					    encodeURIComponent(id);
				break;
			case 'a': if (id) triage(id, 'acknowledge'); break;
			case 'e': if (id) triage(id, 'escalate'); break;
			case 'c':
				if (!id)
					break;
				panel.action = '/alerts/' +
				    encodeURIComponent(id) + '/triage';
				panel.hidden = false;
				document.getElementById('kbd-reason').focus();
				ev.preventDefault();
				break;
			case 'Escape': panel.hidden = true; break;
			default: return;
			}
		});
	}

	document.addEventListener('DOMContentLoaded', inbox);
})();
