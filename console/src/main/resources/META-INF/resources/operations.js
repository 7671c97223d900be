// The Operations page's charts (uPlot): the last hour from /operations/series, redrawn every 2 s.
(function () {
  const charts = {};
  const colours = ['#615eff', '#12b76a', '#f79009', '#f04438', '#0ba5ec', '#7a5af8', '#ee46bc', '#667085'];

  function width(el) {
    return Math.max(280, Math.min(560, el.parentElement.clientWidth - 8));
  }

  function draw(id, labels, data) {
    const el = document.getElementById(id);
    if (!el || typeof uPlot === 'undefined') {
      return;
    }
    const key = id + ':' + labels.join('|');
    if (!charts[key]) {
      el.replaceChildren();
      const series = [{}].concat(labels.map(function (l, i) {
        return {label: l, stroke: colours[i % colours.length], width: 2};
      }));
      charts[key] = new uPlot({width: width(el), height: 180, series: series, axes: [{}, {size: 60}]}, data, el);
    } else {
      charts[key].setData(data);
    }
  }

  function refresh() {
    fetch('/operations/series').then(function (r) { return r.json(); }).then(function (s) {
      draw('chart-messages', ['in', 'out'], [s.t, s.messagesIn, s.messagesOut]);
      draw('chart-rows', ['read', 'rejected'], [s.t, s.rows, s.rejects]);
      const groups = Object.keys(s.lag);
      if (groups.length > 0) {
        draw('chart-lag', groups, [s.t].concat(groups.map(function (g) { return s.lag[g]; })));
      }
    }).catch(function () { /* the tables above say what is down */ });
  }

  refresh();
  setInterval(refresh, 2000);
})();
