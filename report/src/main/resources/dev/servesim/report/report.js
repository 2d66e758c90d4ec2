// Draws a servesim report from the JSON in #report-data (shape: ReportData.java) with Chart.js.
// When done, body[data-status] is "ok" and each chart canvas has data-points (and data-empty="true" if it had no data).
(function () {
  'use strict';

  // Okabe-Ito: distinguishable with the common colour vision deficiencies
  const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
  const DASHES = [[], [7, 4], [2, 3], [10, 3, 2, 3]];
  // the figures of the headline table, grouped under a shared header: [group, [[column, summary.json key], ...]]
  const FIGURES = [
    ['requests', [['completed', 'requests.completed'], ['arrived', 'requests.arrived'],
      ['rejected', 'requests.rejected'], ['unfinished', 'requests.unfinished']]],
    ['TTFT (ms)', [['p50', 'latency_ms.ttft.p50'], ['p99', 'latency_ms.ttft.p99']]],
    ['TPOT (ms)', [['p50', 'latency_ms.tpot.p50'], ['p99', 'latency_ms.tpot.p99']]],
    ['E2E (ms)', [['p50', 'latency_ms.e2e.p50'], ['p99', 'latency_ms.e2e.p99']]],
    ['throughput', [['requests/s', 'throughput.requests_per_s'], ['output tokens/s', 'throughput.output_tokens_per_s']]]
  ];
  const FRACTION_CHARTS = ['kv', 'hit-rate'];

  const data = JSON.parse(document.getElementById('report-data').textContent);
  const survivalCharts = [];

  Chart.defaults.animation = false;
  Chart.defaults.locale = 'en-US';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3a4350';

  function color(index) {
    return COLORS[index % COLORS.length];
  }

  function formatNumber(value) {
    if (typeof value !== 'number' || !isFinite(value)) {
      return '\u2013';
    }
    const magnitude = Math.abs(value);
    if (Number.isInteger(value) || magnitude >= 100) {
      return value.toFixed(0);
    }
    return value.toFixed(magnitude >= 10 ? 1 : 2);
  }

  function lookup(summary, path) {
    return path.split('.').reduce(function (node, key) {
      return node !== null && typeof node === 'object' ? node[key] : undefined;
    }, summary);
  }

  function parseSummary(text) {
    try {
      const summary = JSON.parse(text);
      return summary !== null && typeof summary === 'object' ? summary : null;
    } catch (ignored) {
      return null; // shown as a row of dashes with a note: a bad summary must not hide the charts
    }
  }

  function cell(tag, text) {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function headlineTable(rows) {
    const named = rows[0].name !== null;
    const table = document.createElement('table');
    table.id = 'headline-table';
    const head = table.createTHead();
    const groups = head.insertRow();
    const columns = head.insertRow();
    if (named) {
      groups.appendChild(cell('th', 'variant')).rowSpan = 2;
    }
    FIGURES.forEach(function (group) {
      groups.appendChild(cell('th', group[0])).colSpan = group[1].length;
      group[1].forEach(function (figure) {
        columns.appendChild(cell('th', figure[0]));
      });
    });
    const body = table.createTBody();
    let unreadable = false;
    rows.forEach(function (row) {
      const summary = parseSummary(row.summary);
      unreadable = unreadable || summary === null;
      const tableRow = body.insertRow();
      if (named) {
        tableRow.appendChild(cell('td', row.name)).className = 'variant';
      }
      FIGURES.forEach(function (group) {
        group[1].forEach(function (figure) {
          const td = cell('td', formatNumber(summary === null ? undefined : lookup(summary, figure[1])));
          td.dataset.key = figure[1];
          tableRow.appendChild(td);
        });
      });
    });
    const container = document.getElementById('headline');
    container.appendChild(table);
    if (unreadable) {
      container.appendChild(cell('p', 'A summary.json could not be parsed; its figures are shown as dashes.'))
        .className = 'note';
    }
  }

  // with several replicas: one row per replica (summary.json breakdown.by_replica) and the cluster's load imbalance
  const REPLICA_FIGURES = [['requests', 'requests'], ['completed', 'completed'], ['TTFT p50 ms', 'ttft_ms.p50'],
    ['TTFT p99 ms', 'ttft_ms.p99'], ['E2E p99 ms', 'e2e_ms.p99'], ['output tokens/s', 'output_tokens_per_s'],
    ['token hit rate', 'token_hit_rate']];

  function replicaTable(summaryText) {
    const summary = parseSummary(summaryText);
    const replicas = summary === null ? null : lookup(summary, 'breakdown.by_replica');
    if (replicas === null || replicas === undefined || Object.keys(replicas).length < 2) {
      return;
    }
    const container = document.getElementById('replicas');
    container.appendChild(cell('h3', 'Per replica'));
    const table = document.createElement('table');
    table.id = 'replica-table';
    const head = table.createTHead().insertRow();
    head.appendChild(cell('th', 'replica'));
    REPLICA_FIGURES.forEach(function (figure) { head.appendChild(cell('th', figure[0])); });
    const body = table.createTBody();
    Object.keys(replicas).forEach(function (replica) {
      const row = body.insertRow();
      row.appendChild(cell('td', replica));
      REPLICA_FIGURES.forEach(function (figure) {
        const value = lookup(replicas[replica], figure[1]);
        row.appendChild(cell('td', figure[1] === 'token_hit_rate' && typeof value === 'number'
          ? (100 * value).toFixed(1) + '%' : formatNumber(value)));
      });
    });
    container.appendChild(table);
    const cluster = lookup(summary, 'cluster');
    if (cluster !== null && cluster !== undefined) {
      container.appendChild(cell('p', 'router ' + (cluster.router || '-') + '; load imbalance (max / mean): requests '
        + formatNumber(cluster.request_imbalance) + ', output tokens ' + formatNumber(cluster.output_token_imbalance)))
        .className = 'note';
    }
  }

  // log axes label only 1, 2 and 5 times a power of ten, without thousands separators
  function logTick(value) {
    const significand = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    const rounded = Math.round(significand * 1000) / 1000;
    return rounded === 1 || rounded === 2 || rounded === 5 ? String(Number(value.toPrecision(6))) : '';
  }

  // a flat legend box drawn with the line's own width and dash pattern, so dashed cohorts look dashed
  function legend() {
    return { labels: { boxWidth: 30, boxHeight: 1 } };
  }

  function pointCount(datasets) {
    return datasets.reduce(function (sum, dataset) { return sum + dataset.data.length; }, 0);
  }

  function draw(id, config) {
    const canvas = document.getElementById('chart-' + id);
    const points = pointCount(config.data.datasets);
    canvas.dataset.points = String(points);
    if (points === 0) {
      canvas.dataset.empty = 'true';
      canvas.hidden = true;
      const note = cell('p', 'no data');
      note.className = 'no-data';
      canvas.parentNode.appendChild(note);
      return null;
    }
    return new Chart(canvas, config);
  }

  function probabilityAxis(logarithmic) {
    const axis = {
      type: logarithmic ? 'logarithmic' : 'linear',
      title: { display: true, text: 'P(X > t)' }
    };
    if (!logarithmic) {
      axis.min = 0;
      axis.max = 1;
    }
    return axis;
  }

  function survivalChart(id, curves, style) {
    const datasets = curves.map(function (curve, index) {
      const look = style(curve, index);
      return {
        label: curve.label + ' (n=' + curve.count + ')',
        data: curve.t.map(function (t, i) { return { x: t, y: curve.p[i] }; }),
        stepped: 'before',
        borderColor: look.color,
        backgroundColor: look.color,
        borderDash: look.dash,
        borderWidth: 2,
        pointRadius: 0
      };
    });
    const positive = curves.every(function (curve) {
      return curve.t.every(function (t) { return t > 0; });
    });
    const chart = draw(id, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: legend() },
        scales: {
          x: {
            type: positive ? 'logarithmic' : 'linear',
            title: { display: true, text: 't (ms)' },
            ticks: positive ? { maxRotation: 0, callback: logTick } : { maxRotation: 0 }
          },
          y: probabilityAxis(false)
        }
      }
    });
    if (chart !== null) {
      survivalCharts.push(chart);
    }
  }

  function histogramChart(id, histogram) {
    const edges = histogram.edges;
    const last = edges.length - 2;
    const labels = edges.slice(0, -1).map(function (edge, i) {
      return i === last && histogram.overflow ? '\u2265 ' + formatNumber(edge) : formatNumber((edge + edges[i + 1]) / 2);
    });
    const ranges = edges.slice(0, -1).map(function (edge, i) {
      return i === last && histogram.overflow
        ? 'TPOT \u2265 ' + formatNumber(edge) + ' ms'
        : 'TPOT ' + formatNumber(edge) + '\u2013' + formatNumber(edges[i + 1]) + ' ms';
    });
    const datasets = histogram.cohorts.map(function (cohort, index) {
      return {
        label: cohort.label + ' (n=' + cohort.count + ')',
        data: cohort.fractions,
        backgroundColor: color(index),
        borderWidth: 0
      };
    });
    draw(id, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        plugins: {
          tooltip: { callbacks: { title: function (items) { return ranges[items[0].dataIndex]; } } }
        },
        scales: {
          x: { title: { display: true, text: 'TPOT (ms), bin centre' }, ticks: { maxRotation: 0 } },
          y: { beginAtZero: true, title: { display: true, text: 'fraction of requests' } }
        }
      }
    });
  }

  function timeChart(id, seriesList) {
    const units = [];
    seriesList.forEach(function (series) {
      if (units.indexOf(series.unit) < 0) {
        units.push(series.unit);
      }
    });
    const fraction = FRACTION_CHARTS.indexOf(id) >= 0;
    const scales = { x: { type: 'linear', title: { display: true, text: 'simulated time (s)' } } };
    units.forEach(function (unit, index) {
      const axis = {
        type: 'linear',
        position: index % 2 === 0 ? 'left' : 'right',
        beginAtZero: true,
        title: { display: true, text: unit },
        grid: { drawOnChartArea: index === 0 }
      };
      if (fraction) {
        axis.min = 0;
        axis.max = 1;
      }
      scales['y' + index] = axis;
    });
    const datasets = seriesList.map(function (series, index) {
      return {
        label: series.label,
        yAxisID: 'y' + units.indexOf(series.unit),
        data: series.t.map(function (t, i) { return { x: t, y: series.v[i] }; }),
        borderColor: color(index),
        backgroundColor: color(index),
        borderWidth: 1.5,
        pointRadius: 0,
        spanGaps: false
      };
    });
    draw(id, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: legend() },
        scales: scales
      }
    });
  }

  function watchProbabilityToggle() {
    const toggle = document.getElementById('log-probability');
    toggle.addEventListener('change', function () {
      survivalCharts.forEach(function (chart) {
        chart.options.scales.y = probabilityAxis(toggle.checked);
        chart.update();
      });
    });
  }

  if (data.kind === 'run') {
    headlineTable([{ name: null, summary: data.summary }]);
    replicaTable(data.summary);
    const byCohort = function (curve, index) { return { color: color(index), dash: [] }; };
    survivalChart('ttft', data.survival.ttft, byCohort);
    survivalChart('e2e', data.survival.e2e, byCohort);
    histogramChart('tpot', data.tpot);
    Object.keys(data.series).forEach(function (chart) {
      timeChart(chart, data.series[chart]);
    });
  } else {
    headlineTable(data.variants.map(function (variant) {
      return { name: variant.name, summary: variant.summary };
    }));
    ['ttft', 'e2e', 'tpot'].forEach(function (metric) {
      const cohorts = [];
      survivalChart(metric, data.survival[metric], function (curve) {
        if (cohorts.indexOf(curve.cohort) < 0) {
          cohorts.push(curve.cohort);
        }
        return { color: color(curve.variant), dash: DASHES[cohorts.indexOf(curve.cohort) % DASHES.length] };
      });
    });
  }
  watchProbabilityToggle();
  document.body.dataset.charts = String(document.querySelectorAll('canvas[data-points]').length);
  document.body.dataset.status = 'ok';
})();
