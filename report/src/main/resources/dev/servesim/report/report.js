// Draws a servesim report from the JSON in #report-data (shape: ReportData.java) with Chart.js; a plan page's
// drawing is in plan.js.
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

  // what a capacity planner reads: goodput against the SLOs, GPUs and their memory, capacity, cost (summary.json's
  // goodput and resources); a figure the run does not know (no SLO, no memory model, no price) is left out
  const RESOURCE_FIGURES = [
    ['goodput (within SLOs)', 'goodput.share', 'percent'],
    ['GPUs', 'resources.gpus', 'count'],
    ['GPU', 'resources.memory_per_gpu.gpu', 'text'],
    ['weights per GPU, GiB', 'resources.memory_per_gpu.weights_gib', 'number'],
    ['activation reserve per GPU, GiB', 'resources.memory_per_gpu.reserve_gib', 'number'],
    ['KV cache per GPU, GiB', 'resources.memory_per_gpu.kv_cache_gib', 'number'],
    ['KV capacity, tokens', 'resources.kv_tokens', 'count'],
    ['sequences of the mean length that fit at once', 'resources.max_concurrent_sequences', 'count'],
    ['output tokens/s per GPU', 'resources.output_tokens_per_gpu_per_s', 'number'],
    ['GPU-hours', 'resources.gpu_hours', 'number'],
    ['$ per hour', 'resources.cost.usd_per_hour', 'number'],
    ['$ per million output tokens', 'resources.cost.usd_per_million_output_tokens', 'number'],
    ['$ per million input tokens', 'resources.cost.usd_per_million_input_tokens', 'number']
  ];

  function resourcesTable(summaryText) {
    const summary = parseSummary(summaryText);
    if (summary === null) {
      return;
    }
    const table = document.createElement('table');
    table.id = 'resources-table';
    const body = table.createTBody();
    RESOURCE_FIGURES.forEach(function (figure) {
      const value = lookup(summary, figure[1]);
      if (value === null || value === undefined || value === '' || (figure[2] === 'count' && value === 0)) {
        return;
      }
      const row = body.insertRow();
      row.appendChild(cell('th', figure[0]));
      const text = figure[2] === 'text' ? String(value)
        : figure[2] === 'percent' ? formatNumber(100 * value) + '%' : formatNumber(value);
      const td = row.appendChild(cell('td', text));
      td.dataset.key = figure[1];
    });
    if (body.rows.length === 0) {
      return;
    }
    const container = document.getElementById('resources');
    container.appendChild(cell('h3', 'Resources and cost'));
    container.appendChild(table);
    const source = lookup(summary, 'resources.cost.price_source');
    if (source) {
      container.appendChild(cell('p', 'Prices: ' + source + '.')).className = 'note';
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

  // The axis rule, for every chart: a logarithmic axis only where the values span at least one decade (largest /
  // smallest >= 10, all positive); narrower or non-positive data get a linear axis, which Chart.js always numbers.
  // Log axes label 1, 2 and 5 times a power of ten, so a decade or more always shows numbers.
  function spansDecade(values) {
    let low = Infinity;
    let high = -Infinity;
    let positive = true;
    values.forEach(function (value) {
      if (typeof value !== 'number' || !isFinite(value)) {
        return;
      }
      positive = positive && value > 0;
      low = Math.min(low, value);
      high = Math.max(high, value);
    });
    return positive && low > 0 && isFinite(high) && high / low >= 10;
  }

  function valueAxis(values, title, extra) {
    const logarithmic = spansDecade(values);
    const axis = Object.assign({
      type: logarithmic ? 'logarithmic' : 'linear',
      title: { display: true, text: title },
      ticks: logarithmic ? { maxRotation: 0, callback: logTick } : { maxRotation: 0 }
    }, extra || {});
    if (!logarithmic && axis.beginAtZero === undefined) {
      axis.beginAtZero = true;
    }
    return axis;
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

  function probabilityAxis(wantLogarithmic, chart) {
    // the axis rule: a log probability axis only if the smallest drawn P > 0 is 0.1 or less
    const probabilities = [1];
    chart.data.datasets.forEach(function (dataset) {
      dataset.data.forEach(function (point) {
        if (point.y > 0) {
          probabilities.push(point.y);
        }
      });
    });
    const logarithmic = wantLogarithmic && spansDecade(probabilities);
    const axis = {
      type: logarithmic ? 'logarithmic' : 'linear',
      title: { display: true, text: 'P(X > t)' },
      ticks: logarithmic ? { callback: logTick } : {}
    };
    if (!logarithmic) {
      axis.min = 0;
      axis.max = 1;
    }
    return axis;
  }

  // curves: [{label, count (requests), t, p}]; look(curve, index) gives {color, dash, label}
  function survivalDatasets(curves, look) {
    return curves.map(function (curve, index) {
      const style = look(curve, index);
      return {
        label: style.label + ' (n=' + curve.count + ')',
        data: curve.t.map(function (t, i) { return { x: t, y: curve.p[i] }; }),
        stepped: 'before',
        borderColor: style.color,
        backgroundColor: style.color,
        borderDash: style.dash,
        borderWidth: 2,
        pointRadius: 0
      };
    });
  }

  function survivalXAxis(curves) {
    const times = [];
    curves.forEach(function (curve) {
      curve.t.forEach(function (t) { times.push(t); });
    });
    // a linear time axis fits the data, so latencies between 2 and 2.6 s are not squeezed against the right edge
    return valueAxis(times, 't (ms)', { beginAtZero: false });
  }

  function survivalChart(id, curves, look) {
    const chart = draw(id, {
      type: 'line',
      data: { datasets: survivalDatasets(curves, look) },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: legend() },
        scales: { x: survivalXAxis(curves), y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'P(X > t)' } } }
      }
    });
    if (chart !== null) {
      survivalCharts.push(chart);
    }
    return chart;
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
        chart.options.scales.y = probabilityAxis(toggle.checked, chart);
        chart.update();
      });
    });
  }

  // compare.html: the key figures, each with the direction in which it is better
  const COMPARE_FIGURES = [
    ['TTFT (ms)', [['p50', 'latency_ms.ttft.p50', 'low'], ['p99', 'latency_ms.ttft.p99', 'low']]],
    ['TPOT (ms)', [['p50', 'latency_ms.tpot.p50', 'low'], ['p99', 'latency_ms.tpot.p99', 'low']]],
    ['E2E (ms)', [['p50', 'latency_ms.e2e.p50', 'low'], ['p99', 'latency_ms.e2e.p99', 'low']]],
    ['throughput', [['requests/s', 'throughput.requests_per_s', 'high'],
      ['output tokens/s', 'throughput.output_tokens_per_s', 'high']]],
    ['goodput', [['share', 'goodput.share', 'high', 'percent']]],
    ['prefix cache', [['hit rate', 'prefix_cache.token_hit_rate', 'high', 'percent']]],
    ['KV cache', [['preemptions', 'kv_cache.preemptions', 'low']]]
  ];

  // the indices of the rows with the best value; none if fewer than two rows have a value or all values are equal
  function bestRows(values, direction) {
    const finite = values.filter(function (value) { return typeof value === 'number' && isFinite(value); });
    if (finite.length < 2 || finite.every(function (value) { return value === finite[0]; })) {
      return [];
    }
    const best = direction === 'low' ? Math.min.apply(null, finite) : Math.max.apply(null, finite);
    return values.map(function (value, index) { return value === best ? index : -1; })
      .filter(function (index) { return index >= 0; });
  }

  function compareTable(variants, parameters) {
    const summaries = variants.map(function (variant) { return parseSummary(variant.summary); });
    const keyed = parameters.length > 0;
    const table = document.createElement('table');
    table.id = 'compare-table';
    const head = table.createTHead();
    const groups = head.insertRow();
    const columns = head.insertRow();
    if (keyed) {
      groups.appendChild(cell('th', 'variant')).colSpan = parameters.length;
      parameters.forEach(function (parameter) { columns.appendChild(cell('th', parameter.key)); });
    } else {
      groups.appendChild(cell('th', 'variant')).rowSpan = 2;
    }
    COMPARE_FIGURES.forEach(function (group) {
      groups.appendChild(cell('th', group[0])).colSpan = group[1].length;
      group[1].forEach(function (figure) {
        const th = cell('th', figure[0]);
        th.dataset.key = figure[1];
        th.title = (figure[2] === 'low' ? 'lower' : 'higher') + ' is better';
        columns.appendChild(th);
      });
    });
    const body = table.createTBody();
    const rows = variants.map(function (variant) {
      const row = body.insertRow();
      row.title = variant.name;
      if (keyed) {
        parameters.forEach(function (parameter) {
          const value = variant.settings[parameter.key];
          row.appendChild(cell('td', value === undefined ? '\u2013' : value)).className = 'variant';
        });
      } else {
        row.appendChild(cell('td', variant.name)).className = 'variant';
      }
      return row;
    });
    COMPARE_FIGURES.forEach(function (group) {
      group[1].forEach(function (figure) {
        const values = summaries.map(function (summary) {
          return summary === null ? undefined : lookup(summary, figure[1]);
        });
        const best = bestRows(values, figure[2]);
        values.forEach(function (value, index) {
          const text = figure[3] === 'percent' && typeof value === 'number' && isFinite(value)
            ? (100 * value).toFixed(1) + '%' : formatNumber(value);
          const td = cell('td', text);
          td.dataset.key = figure[1];
          if (best.indexOf(index) >= 0) {
            td.className = 'best';
            td.title = 'best';
          }
          rows[index].appendChild(td);
        });
      });
    });
    const container = document.getElementById('headline');
    container.appendChild(table);
    container.appendChild(cell('p', 'The best value of each column is in bold on green: lowest latency, highest '
      + 'throughput, goodput and hit rate, fewest preemptions. No mark where all variants are equal.')).className = 'note';
    if (summaries.indexOf(null) >= 0) {
      container.appendChild(cell('p', 'A summary.json could not be parsed; its figures are shown as dashes.'))
        .className = 'note';
    }
  }

  const LATENCY_LINES = [['TTFT p50', 'latency_ms.ttft.p50'], ['TTFT p99', 'latency_ms.ttft.p99'],
    ['TPOT p50', 'latency_ms.tpot.p50'], ['TPOT p99', 'latency_ms.tpot.p99'],
    ['E2E p50', 'latency_ms.e2e.p50'], ['E2E p99', 'latency_ms.e2e.p99']];

  const DASH_NAMES = ['solid', 'dashed', 'dotted', 'dash-dot'];

  // one legend entry per figure (not per figure and setting of the other keys, which the line style tells), and a
  // click hides or shows that figure in every line style
  function figureLegend() {
    const base = legend();
    base.labels.generateLabels = function (chart) {
      return Chart.defaults.plugins.legend.labels.generateLabels(chart)
        .filter(function (item) { return chart.data.datasets[item.datasetIndex].group === 0; })
        .map(function (item) {
          item.text = chart.data.datasets[item.datasetIndex].metric;
          item.lineDash = [];
          return item;
        });
    };
    base.onClick = function (event, item, legendBox) {
      const chart = legendBox.chart;
      const metric = chart.data.datasets[item.datasetIndex].metric;
      const visible = chart.isDatasetVisible(item.datasetIndex);
      chart.data.datasets.forEach(function (dataset, index) {
        if (dataset.metric === metric) {
          chart.setDatasetVisibility(index, !visible);
        }
      });
      chart.update();
    };
    return base;
  }

  // one chart of latency and one of throughput against each varied key; with several keys, one line per setting of
  // the other keys (dash pattern)
  function parameterCharts(parameters, variants) {
    const container = document.getElementById('parameters');
    const summaries = variants.map(function (variant) { return parseSummary(variant.summary); });
    parameters.forEach(function (parameter, index) {
      const others = {};
      const groups = [];
      variants.forEach(function (variant, row) {
        if (variant.settings[parameter.key] === undefined || summaries[row] === null) {
          return;
        }
        const rest = Object.keys(variant.settings).filter(function (key) { return key !== parameter.key; })
          .map(function (key) { return key + '=' + variant.settings[key]; }).join(', ');
        if (!(rest in others)) {
          others[rest] = groups.length;
          groups.push({ rest: rest, rows: [] });
        }
        groups[others[rest]].rows.push(row);
      });
      function line(label, key, group, colorIndex, extra) {
        const points = parameter.values.map(function (value) {
          const row = group.rows.find(function (r) { return variants[r].settings[parameter.key] === value; });
          const figure = row === undefined ? undefined : lookup(summaries[row], key);
          return typeof figure === 'number' && isFinite(figure) ? figure : null;
        });
        return Object.assign({
          label: group.rest === '' ? label : label + ' \u00b7 ' + group.rest,
          metric: label,
          group: groups.indexOf(group),
          data: points,
          borderColor: color(colorIndex),
          backgroundColor: color(colorIndex),
          borderDash: DASHES[groups.indexOf(group) % DASHES.length],
          borderWidth: 2,
          pointRadius: 3,
          spanGaps: true
        }, extra || {});
      }
      const latency = [];
      const throughput = [];
      groups.forEach(function (group) {
        LATENCY_LINES.forEach(function (figure, lineIndex) {
          latency.push(line(figure[0], figure[1], group, lineIndex));
        });
        throughput.push(line('requests/s', 'throughput.requests_per_s', group, 0, { yAxisID: 'y' }));
        const goodput = line('goodput requests/s (within SLOs)', 'goodput.requests_per_s', group, 2, { yAxisID: 'y' });
        if (goodput.data.some(function (value) { return value !== null; })) {
          throughput.push(goodput);
        }
        throughput.push(line('output tokens/s', 'throughput.output_tokens_per_s', group, 1, { yAxisID: 'y1' }));
      });
      const values = function (datasets) {
        return datasets.reduce(function (all, dataset) { return all.concat(dataset.data); }, []);
      };
      const xAxis = { type: 'category', title: { display: true, text: parameter.key }, ticks: { maxRotation: 0 } };
      [['latency', 'latency (ms) against ' + parameter.key], ['throughput', 'throughput against ' + parameter.key]]
        .forEach(function (chart) {
          const figure = document.createElement('figure');
          figure.className = 'card';
          figure.appendChild(cell('figcaption', chart[1]));
          const plot = document.createElement('div');
          plot.className = 'plot';
          plot.style.height = '340px';
          const canvas = document.createElement('canvas');
          canvas.id = 'chart-vary-' + index + '-' + chart[0];
          canvas.dataset.chart = 'vary-' + index + '-' + chart[0];
          canvas.dataset.varyKey = parameter.key;
          plot.appendChild(canvas);
          figure.appendChild(plot);
          if (groups.length > 1) {
            figure.appendChild(cell('p', 'line style: ' + groups.map(function (group, number) {
              return DASH_NAMES[number % DASH_NAMES.length] + ' ' + group.rest;
            }).join('; '))).className = 'note';
          }
          container.appendChild(figure);
        });
      const options = function (scales) {
        return {
          interaction: { mode: 'index', intersect: false },
          plugins: { legend: figureLegend() },
          scales: scales
        };
      };
      draw('vary-' + index + '-latency', {
        type: 'line',
        data: { labels: parameter.values, datasets: latency },
        options: options({ x: xAxis, y: valueAxis(values(latency), 'ms') })
      });
      const requestLines = throughput.filter(function (dataset) { return dataset.yAxisID === 'y'; });
      const tokenLines = throughput.filter(function (dataset) { return dataset.yAxisID === 'y1'; });
      draw('vary-' + index + '-throughput', {
        type: 'line',
        data: { labels: parameter.values, datasets: throughput },
        options: options({
          x: xAxis,
          y: valueAxis(values(requestLines), 'requests/s', { type: 'linear', position: 'left' }),
          y1: valueAxis(values(tokenLines), 'output tokens/s',
            { type: 'linear', position: 'right', grid: { drawOnChartArea: false } })
        })
      });
    });
    if (parameters.length === 0) {
      container.appendChild(cell('p', 'No varied keys given.')).className = 'note';
    }
  }

  // compare.html's survival curves: one line per variant (its 'all' cohort), or per variant and cohort when split
  function compareSurvival(variants) {
    const split = document.getElementById('split-cohorts');
    const charts = {};
    function selected(metric) {
      return data.survival[metric].filter(function (curve) {
        if (split.checked) {
          return true;
        }
        const hasAll = data.survival[metric].some(function (other) {
          return other.variant === curve.variant && other.cohort === 'all';
        });
        return !hasAll || curve.cohort === 'all';
      });
    }
    function look(metric) {
      const cohorts = [];
      return function (curve) {
        if (cohorts.indexOf(curve.cohort) < 0) {
          cohorts.push(curve.cohort);
        }
        const perVariant = data.survival[metric].filter(function (other) { return other.variant === curve.variant; });
        const alone = !split.checked && (curve.cohort === 'all' || perVariant.length === 1);
        return {
          color: color(curve.variant),
          dash: alone ? [] : DASHES[cohorts.indexOf(curve.cohort) % DASHES.length],
          label: alone ? variants[curve.variant].name : variants[curve.variant].name + ' \u00b7 ' + curve.cohort
        };
      };
    }
    ['ttft', 'e2e', 'tpot'].forEach(function (metric) {
      charts[metric] = survivalChart(metric, selected(metric), look(metric));
    });
    split.addEventListener('change', function () {
      ['ttft', 'e2e', 'tpot'].forEach(function (metric) {
        const chart = charts[metric];
        if (chart !== null) {
          chart.data.datasets = survivalDatasets(selected(metric), look(metric));
          chart.options.scales.x = survivalXAxis(selected(metric));
          chart.update();
        }
      });
    });
  }

  if (data.kind === 'run') {
    headlineTable([{ name: null, summary: data.summary }]);
    resourcesTable(data.summary);
    replicaTable(data.summary);
    const byCohort = function (curve, index) { return { color: color(index), dash: [], label: curve.label }; };
    survivalChart('ttft', data.survival.ttft, byCohort);
    survivalChart('e2e', data.survival.e2e, byCohort);
    histogramChart('tpot', data.tpot);
    Object.keys(data.series).forEach(function (chart) {
      timeChart(chart, data.series[chart]);
    });
    watchProbabilityToggle();
  } else if (data.kind === 'compare') {
    compareTable(data.variants, data.parameters);
    parameterCharts(data.parameters, data.variants);
    compareSurvival(data.variants);
    watchProbabilityToggle();
  } else if (data.kind === 'plan') {
    // plan.js, placed before this script on plan pages
    servesimPlan(data, { cell: cell, draw: draw, formatNumber: formatNumber, valueAxis: valueAxis });
  } else {
    throw new Error('unknown report kind ' + data.kind);
  }
  document.body.dataset.charts = String(document.querySelectorAll('canvas[data-points]').length);
  document.body.dataset.status = 'ok';
})();
