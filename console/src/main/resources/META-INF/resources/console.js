// The console's few lines of script: the live preview of the destination names, the schedule's options shown
// for the schedule type chosen, and a question before a delete. Everything else is server-rendered; htmx swaps the parts that change.
(function () {
  function preview() {
    const form = document.getElementById('setup');
    const list = document.getElementById('namespace-preview');
    if (!form || !list || !form.namespaceDefinition) {
      return;
    }
    const definition = form.namespaceDefinition.value;
    const format = form.namespaceFormat.value;
    const prefix = form.prefix.value;
    const fallback = form.dataset.destinationNamespace || 'public';
    const names = [];
    document.querySelectorAll('tr[data-stream]').forEach(function (row) {
      const box = row.querySelector('input.stream-selected');
      if (!box || !box.checked) {
        return;
      }
      const own = row.dataset.namespace;
      let namespace = fallback;
      if (definition === 'source') {
        namespace = own || fallback;
      } else if (definition === 'custom_format' && format.trim() !== '') {
        namespace = format.split('${SOURCE_NAMESPACE}').join(own || '');
      }
      const rename = row.querySelector('input.rename');
      const table = rename && rename.value.trim() !== '' ? rename.value.trim() : row.dataset.name;
      names.push(namespace + '.' + prefix + table);
    });
    const items = names.slice(0, 8).map(function (n) {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    });
    if (names.length > 8) {
      const more = document.createElement('li');
      more.textContent = '… and ' + (names.length - 8) + ' more';
      items.push(more);
    }
    if (names.length === 0) {
      const none = document.createElement('li');
      none.textContent = 'no stream selected';
      items.push(none);
    }
    list.replaceChildren.apply(list, items);
  }

  function schedule() {
    document.querySelectorAll('select[name=scheduleType]').forEach(function (select) {
      select.form.querySelectorAll('[data-for-schedule]').forEach(function (el) {
        el.hidden = el.dataset.forSchedule !== select.value;
      });
    });
  }

  // times come in UTC; each is shown in the viewer's own time zone, the UTC value on hover
  function times() {
    document.querySelectorAll('time[datetime]:not([data-local])').forEach(function (el) {
      const at = new Date(el.dateTime.replace(' ', 'T'));
      if (isNaN(at.getTime())) {
        return;
      }
      el.dataset.local = 'true';
      el.title = el.dateTime.replace('Z', '') + ' UTC';
      el.textContent = at.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
    });
  }

  function refresh() {
    preview();
    schedule();
    times();
    presetAnswers();
  }

  // the preset's answer per stream follows the preset as soon as it changes (the server computed both)
  function presetAnswers() {
    const checked = document.querySelector('input[name=preset]:checked');
    if (!checked) {
      return;
    }
    document.querySelectorAll('option[data-replicate]').forEach(function (o) {
      o.textContent = checked.value === 'append_history' ? o.dataset.history : o.dataset.replicate;
    });
  }

  document.addEventListener('change', function (e) {
    if (e.target && e.target.name === 'preset') {
      presetAnswers();
    }
  });

  // "Likely key: id" picks that field as the stream's primary key
  document.addEventListener('click', function (e) {
    const b = e.target && e.target.closest ? e.target.closest('.suggest-key') : null;
    if (!b) {
      return;
    }
    const select = b.closest('td').querySelector('select');
    Array.from(select.options).forEach(function (o) {
      o.selected = o.value === b.dataset.key;
    });
    select.dispatchEvent(new Event('change', {bubbles: true}));
  });

  // "New connection": the source and destination lists filter as the user types (name or connector type)
  document.addEventListener('input', function (e) {
    if (!e.target || !e.target.classList || !e.target.classList.contains('pick-filter')) {
      return;
    }
    const q = e.target.value.trim().toLowerCase();
    const fieldset = e.target.closest('fieldset');
    let shown = 0;
    fieldset.querySelectorAll('[data-pick]').forEach(function (el) {
      el.hidden = q !== '' && el.dataset.pick.indexOf(q) < 0;
      shown += el.hidden ? 0 : 1;
    });
    fieldset.querySelector('.pick-none').hidden = shown > 0;
  });

  // "add one" keeps what is chosen on the other side: it comes back chosen
  document.addEventListener('click', function (e) {
    const a = e.target && e.target.closest ? e.target.closest('a.add-one') : null;
    if (!a) {
      return;
    }
    const other = a.closest('form').querySelector('input[name=' + a.dataset.keep + ']:checked');
    if (other) {
      a.href = a.pathname + '?flow=connection&keep=' + encodeURIComponent(other.value);
    }
  });

  // a flash is said once: a reload (or a link shared) does not say "Sync requested." again
  if (window.history && window.location.search.indexOf('flash=') >= 0) {
    const url = new URL(window.location.href);
    url.searchParams.delete('flash');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  // Enter in a stream's rename box does not submit the whole setup (its Configure step may not be shown yet)
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target && e.target.classList && e.target.classList.contains('rename')) {
      e.preventDefault();
    }
  });

  // a form that deletes asks first (data-confirm holds the question, on the form or on the button that submits it)
  document.addEventListener('submit', function (e) {
    const form = e.target;
    const question = (e.submitter && e.submitter.dataset && e.submitter.dataset.confirm)
      || (form && form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // CSRF: every form posted without htmx carries the page's token (htmx sends it as a header: hx-headers on body)
  document.addEventListener('submit', function (e) {
    const form = e.target;
    const meta = document.querySelector('meta[name=csrf-token]');
    if (!meta || !form || (form.method || '').toLowerCase() !== 'post' || form.querySelector('input[name=csrf-token]')) {
      return;
    }
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'csrf-token';
    input.value = meta.content;
    form.appendChild(input);
  }, true);

  // long work (a dry run reads the whole source): the button says so and cannot be pressed twice
  document.addEventListener('submit', function (e) {
    const form = e.target;
    if (e.defaultPrevented || !form || !form.dataset || !form.dataset.busy) {
      return;
    }
    const button = e.submitter || form.querySelector('button[type=submit]');
    if (button) {
      setTimeout(function () { button.disabled = true; button.textContent = form.dataset.busy; }, 0);
    }
  });

  document.addEventListener('input', refresh);
  document.addEventListener('change', refresh);
  document.addEventListener('DOMContentLoaded', refresh);
  document.addEventListener('htmx:afterSettle', refresh);
})();
