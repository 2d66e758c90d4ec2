// Draws plan.html, the capacity planner's page, from the plan.json text in #report-data (shape: PlanReport.java).
// report.js calls servesimPlan(data, tools) for the kind "plan" with its helpers (cell, draw, formatNumber, valueAxis).
// Every text of the plan comes from user config values, so it enters the page through textContent only, never as
// HTML, and links accept relative paths only.
var servesimPlan = (function () {
  'use strict';

  const METRIC_NAMES = { ttft: 'TTFT', tpot: 'TPOT', itl: 'ITL', e2e: 'E2E' };
  const ROLES = [['cheapest', 'cheapest'], ['fewest_gpus', 'fewest GPUs'], ['highest_rate', 'highest rate']];
  const FILES = [['config', 'configuration (YAML)'], ['serve_script', 'serve script'],
    ['kubernetes', 'Kubernetes deployment'], ['report', 'simulation report']];
  const MEETS_COLOR = '#009E73';
  const FAILS_COLOR = '#D55E00';
  const FRONT_COLOR = '#0072B2';
  const LIMIT_COLOR = '#5b6573';
  const CLOSEST = 3;

  function isNumber(value) {
    return typeof value === 'number' && isFinite(value);
  }

  function object(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function text(value) {
    return value === null || value === undefined ? '' : String(value);
  }

  // "ttft_p99" -> "TTFT p99"
  function metricLabel(key) {
    const parts = key.split('_');
    const metric = METRIC_NAMES[parts[0]] || parts[0].toUpperCase();
    return parts.length > 1 ? metric + ' ' + parts.slice(1).join(' ') : metric;
  }

  // 0.05 s -> 50 ms, without the float noise of 0.05 * 1000
  function secondsToMs(seconds) {
    return Number((seconds * 1000).toPrecision(6));
  }

  // a link to a file of the plan's folder; anything with a scheme (javascript:, https:) or an absolute path is shown
  // as plain text instead
  function relativeLink(tools, path, label) {
    const target = text(path);
    if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.charAt(0) === '/' || target.charAt(0) === '\\') {
      return tools.cell('span', label + ': ' + (target === '' ? '\u2013' : target));
    }
    const link = tools.cell('a', label);
    link.setAttribute('href', target);
    link.title = target;
    return link;
  }

  return function drawPlan(data, tools) {
    const cell = tools.cell;
    const formatNumber = tools.formatNumber;
    let plan = null;
    try {
      plan = JSON.parse(data.plan);
    } catch (ignored) {
      plan = null; // shown as a note: the page still draws its sections, empty
    }
    const readable = plan !== null && typeof plan === 'object' && !Array.isArray(plan);
    plan = object(plan);
    const candidates = list(plan.candidates).map(object);
    const byName = {};
    candidates.forEach(function (candidate) {
      byName[text(candidate.name)] = candidate;
    });
    const slo = object(plan.slo);
    const sloKeys = Object.keys(slo);
    const recommendation = object(plan.recommendation);
    const pareto = list(plan.pareto).map(text);
    const chosen = plan.chosen !== null && typeof plan.chosen === 'object' ? plan.chosen : null;

    function figures(candidate) {
      return object(candidate.figures);
    }

    function threshold(key) {
      return isNumber(slo[key]) ? secondsToMs(slo[key]) : null;
    }

    function roles(name) {
      return ROLES.filter(function (role) { return text(recommendation[role[0]]) === name && name !== ''; })
        .map(function (role) { return role[1]; });
    }

    function sloText() {
      return sloKeys.map(function (key) {
        const limit = threshold(key);
        return metricLabel(key) + ' \u2264 ' + (limit === null ? '\u2013' : formatNumber(limit)) + ' ms';
      }).join(', ');
    }

    function gpuText(candidate) {
      const parts = [];
      if (isNumber(candidate.replicas)) {
        parts.push(candidate.replicas + (candidate.replicas === 1 ? ' replica' : ' replicas') + ' of');
      }
      parts.push((isNumber(candidate.gpus_per_replica) ? candidate.gpus_per_replica + ' \u00d7 ' : '')
        + (text(candidate.gpu) || 'GPU'));
      if (isNumber(candidate.gpus)) {
        parts.push('(' + candidate.gpus + ' GPUs)');
      }
      return parts.join(' ');
    }

    function money(value, digits) {
      return isNumber(value) ? '$' + value.toFixed(digits) : '\u2013';
    }

    // "310 (290–340)" where the seeds spread the figure
    function figureText(candidate, figureKey) {
      const value = figures(candidate)[figureKey];
      const band = list(object(candidate.band)[figureKey]);
      const main = formatNumber(isNumber(value) ? value : undefined);
      let shown = main;
      if (band.length === 2 && isNumber(band[0]) && isNumber(band[1])) {
        shown += ' (' + formatNumber(band[0]) + '\u2013' + formatNumber(band[1]) + ')';
      }
      // the spread from the step-time coefficients' fitted intervals, where the engine offers it
      const model = list(object(candidate.model_band)[figureKey]);
      if (model.length === 2 && isNumber(model[0]) && isNumber(model[1])) {
        shown += ' [' + formatNumber(model[0]) + '\u2013' + formatNumber(model[1]) + ']';
      }
      return shown;
    }

    function header() {
      const meets = candidates.filter(function (candidate) { return candidate.status === 'meets'; }).length;
      const pruned = candidates.filter(function (candidate) { return candidate.status === 'pruned'; }).length;
      document.querySelector('header .subtitle').textContent = candidates.length
        + (candidates.length === 1 ? ' configuration, ' : ' configurations, ') + meets
        + (meets === 1 ? ' meets' : ' meet') + ' the SLOs' + (pruned > 0 ? ', ' + pruned + ' pruned' : '');
      const section = document.getElementById('question');
      section.className = 'question';
      if (plan.partial === true) {
        const banner = section.insertBefore(cell('p', 'partial plan (interrupted): only the configurations searched '
          + 'before the stop are shown, and a better one may have been missed.'), section.firstChild);
        banner.className = 'partial';
        banner.id = 'partial';
      }
      if (!readable) {
        section.appendChild(cell('p', 'The plan.json could not be parsed; nothing can be shown.')).className = 'note';
      }
      section.appendChild(cell('p', 'SLOs: ' + (sloKeys.length === 0 ? 'none given' : sloText()))).id = 'slos';
      const target = object(plan.target);
      section.appendChild(cell('p', plan.mode === 'max_rate' || !isNumber(target.rate)
        ? 'Rate: the highest sustainable rate of each configuration'
        : 'Rate: a target of ' + formatNumber(target.rate) + ' requests/s')).id = 'rate';
      const search = object(plan.search);
      const replicas = object(plan.replicas);
      const searched = Object.keys(search).map(function (key) {
        return key + ' \u2208 {' + list(search[key]).map(text).join(', ') + '}';
      });
      if (isNumber(replicas.min) || isNumber(replicas.max)) {
        searched.push('replicas ' + formatNumber(replicas.min) + '\u2013' + formatNumber(replicas.max));
      }
      if (searched.length > 0) {
        section.appendChild(cell('p', 'Searched: ' + searched.join('; ')));
      }
      const seeds = isNumber(plan.seeds) ? plan.seeds : 1;
      const basis = [];
      if (text(plan.config) !== '') {
        basis.push('config ' + text(plan.config));
      }
      if (isNumber(plan.seed)) {
        basis.push('seed ' + plan.seed + (seeds > 1 ? ' and ' + (seeds - 1) + ' more (' + seeds + ' seeds)' : ''));
      }
      if (basis.length > 0) {
        section.appendChild(cell('p', 'From ' + basis.join(', '))).className = 'note';
      }
    }

    // how far a failing candidate misses its SLOs: the largest figure / threshold (1 = just at the limit)
    function miss(candidate) {
      let worst = 0;
      sloKeys.forEach(function (key) {
        const value = figures(candidate)[key + '_ms'];
        const limit = threshold(key);
        if (isNumber(value) && limit !== null && limit > 0) {
          worst = Math.max(worst, value / limit);
        }
      });
      return worst > 0 ? worst : Infinity;
    }

    function recommendationBox() {
      const box = document.getElementById('recommendation');
      box.className = 'recommendation';
      // one row per recommended candidate, with all its roles: the cheapest is often also the one with fewest GPUs
      const picked = [];
      ROLES.forEach(function (role) {
        const name = text(recommendation[role[0]]);
        if (name === '') {
          return;
        }
        const same = picked.find(function (entry) { return entry.name === name; });
        if (same === undefined) {
          picked.push({ name: name, keys: [role[0]], titles: [role[1]] });
        } else {
          same.keys.push(role[0]);
          same.titles.push(role[1]);
        }
      });
      if (picked.length > 0) {
        const table = document.createElement('table');
        table.id = 'recommendation-table';
        const head = table.createTHead().insertRow();
        ['', 'configuration', 'GPUs', 'rate (requests/s)', '$ per hour', '$ per million output tokens']
          .forEach(function (title) { head.appendChild(cell('th', title)); });
        const body = table.createTBody();
        picked.forEach(function (entry) {
          const candidate = object(byName[entry.name]);
          const row = body.insertRow();
          row.dataset.role = entry.keys.join(' ');
          row.appendChild(cell('th', entry.titles.join(', ')));
          row.appendChild(cell('td', entry.name)).className = 'variant';
          row.appendChild(cell('td', gpuText(candidate)));
          row.appendChild(cell('td', formatNumber(candidate.rate)));
          row.appendChild(cell('td', money(candidate.usd_per_hour, 2)));
          row.appendChild(cell('td', money(candidate.usd_per_million_output_tokens, 2)));
        });
        box.appendChild(table);
      }
      if (chosen !== null) {
        box.appendChild(cell('p', 'Chosen: ' + text(chosen.name))).id = 'chosen';
        // serve: any framework's command line (plan.json of servesim before the sglang engine: vllm_serve alone)
        const command = text(chosen.serve) !== '' ? text(chosen.serve) : text(chosen.vllm_serve);
        if (command !== '') {
          box.appendChild(cell('p', 'Serve it with:'));
          const serve = box.appendChild(cell('pre', command));
          serve.className = 'config';
          serve.id = 'vllm-serve';
        }
        const files = document.createElement('p');
        files.id = 'chosen-files';
        files.appendChild(document.createTextNode('Files: '));
        FILES.filter(function (file) { return chosen[file[0]] !== undefined && chosen[file[0]] !== null; })
          .forEach(function (file, index) {
            if (index > 0) {
              files.appendChild(document.createTextNode(' \u00b7 '));
            }
            files.appendChild(relativeLink(tools, chosen[file[0]], file[1]));
          });
        box.appendChild(files);
        return;
      }
      box.appendChild(cell('p', 'No configuration meets the SLOs.')).className = 'no-choice';
      const closest = candidates.filter(function (candidate) { return candidate.status === 'fails'; })
        .map(function (candidate, index) { return { candidate: candidate, miss: miss(candidate), index: index }; })
        .sort(function (a, b) { return a.miss - b.miss || a.index - b.index; })
        .slice(0, CLOSEST);
      if (closest.length === 0) {
        return;
      }
      box.appendChild(cell('p', 'Closest:'));
      const items = document.createElement('ul');
      items.id = 'closest';
      closest.forEach(function (entry) {
        const figuresText = sloKeys.map(function (key) {
          const limit = threshold(key);
          return metricLabel(key) + ' ' + figureText(entry.candidate, key + '_ms') + ' ms'
            + (limit === null ? '' : ' (limit ' + formatNumber(limit) + ')');
        }).join(', ');
        items.appendChild(cell('li', text(entry.candidate.name) + ': ' + gpuText(entry.candidate)
          + (figuresText === '' ? '' : '; ' + figuresText)));
      });
      box.appendChild(items);
    }

    // x: cost per hour, or GPUs when the plan has no prices; y: the SLO's figure in ms
    function paretoChart(index, sloKey, byCost) {
      const figureKey = sloKey + '_ms';
      const container = document.getElementById('pareto');
      const figure = document.createElement('figure');
      figure.className = 'card';
      const limit = threshold(sloKey);
      figure.appendChild(cell('figcaption', metricLabel(sloKey) + ' against ' + (byCost ? 'cost' : 'GPUs')
        + (limit === null ? '' : ' (SLO ' + formatNumber(limit) + ' ms)')));
      const plot = document.createElement('div');
      plot.className = 'plot';
      plot.style.height = '360px';
      const canvas = document.createElement('canvas');
      canvas.id = 'chart-pareto-' + index;
      canvas.dataset.chart = 'pareto-' + index;
      canvas.dataset.slo = sloKey;
      plot.appendChild(canvas);
      figure.appendChild(plot);
      container.appendChild(figure);

      function point(candidate) {
        const x = byCost ? candidate.usd_per_hour : candidate.gpus;
        const y = figures(candidate)[figureKey];
        return isNumber(x) && isNumber(y) ? { x: x, y: y, name: text(candidate.name) } : null;
      }
      function points(status) {
        return candidates.filter(function (candidate) { return candidate.status === status; })
          .map(point).filter(function (p) { return p !== null; });
      }
      const meets = points('meets');
      const fails = points('fails');
      const drawn = meets.concat(fails);
      const datasets = [];
      if (drawn.length > 0) {
        datasets.push({ label: 'meets the SLOs', data: meets, backgroundColor: MEETS_COLOR, borderColor: MEETS_COLOR,
          pointStyle: 'circle', pointRadius: 5, pointHoverRadius: 7 });
        datasets.push({ label: 'fails an SLO', data: fails, backgroundColor: 'rgba(0, 0, 0, 0)', borderColor: FAILS_COLOR,
          pointStyle: 'circle', borderWidth: 2, pointRadius: 5, pointHoverRadius: 7 });
        const front = pareto.map(function (name) { return byName[name] === undefined ? null : point(byName[name]); })
          .filter(function (p) { return p !== null; })
          .sort(function (a, b) { return a.x - b.x; });
        if (front.length > 0) {
          datasets.push({ label: 'Pareto front', data: front, showLine: true, borderColor: FRONT_COLOR,
            backgroundColor: FRONT_COLOR, pointStyle: 'line', borderWidth: 2, pointRadius: 0, pointHoverRadius: 0 });
        }
        if (limit !== null) {
          const xs = drawn.map(function (p) { return p.x; });
          const low = Math.min.apply(null, xs);
          const high = Math.max.apply(null, xs);
          const pad = (high - low || Math.max(Math.abs(high), 1)) * 0.05;
          datasets.push({ label: 'SLO ' + formatNumber(limit) + ' ms', data: [{ x: low - pad, y: limit },
            { x: high + pad, y: limit }], showLine: true, borderColor: LIMIT_COLOR, backgroundColor: LIMIT_COLOR,
          pointStyle: 'line', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0 });
        }
        candidates.forEach(function (candidate) {
          const center = candidate.status === 'meets' || candidate.status === 'fails' ? point(candidate) : null;
          const band = list(object(candidate.band)[figureKey]);
          if (center !== null && band.length === 2 && isNumber(band[0]) && isNumber(band[1])) {
            const barColor = candidate.status === 'meets' ? MEETS_COLOR : FAILS_COLOR;
            datasets.push({ label: '', band: true, data: [{ x: center.x, y: band[0] }, { x: center.x, y: band[1] }],
              showLine: true, borderColor: barColor, backgroundColor: barColor, borderWidth: 1.5, pointRadius: 0,
              pointHoverRadius: 0 });
          }
        });
      }
      const ys = [];
      datasets.forEach(function (dataset) {
        dataset.data.forEach(function (p) { ys.push(p.y); });
      });
      const xs = drawn.map(function (p) { return p.x; });
      // point markers for the candidates and short lines for the front and the SLO; no entry for the error bars
      const base = {
        labels: {
          usePointStyle: true,
          filter: function (item, chartData) { return !chartData.datasets[item.datasetIndex].band; }
        }
      };
      tools.draw('pareto-' + index, {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          plugins: {
            legend: base,
            tooltip: {
              filter: function (item) { return item.raw !== undefined && item.raw.name !== undefined; },
              callbacks: {
                label: function (item) {
                  return item.raw.name + ': ' + (byCost ? '$' + formatNumber(item.raw.x) + '/h' : item.raw.x + ' GPUs')
                    + ', ' + formatNumber(item.raw.y) + ' ms';
                }
              }
            }
          },
          scales: {
            x: tools.valueAxis(xs, byCost ? 'cost, $ per hour' : 'GPUs', { beginAtZero: false }),
            y: tools.valueAxis(ys, metricLabel(sloKey) + ' (ms)')
          }
        }
      });
    }

    function paretoCharts() {
      const byCost = candidates.some(function (candidate) { return isNumber(candidate.usd_per_hour); });
      const keys = sloKeys.length === 0 ? ['ttft_p99'] : sloKeys.slice(0, 2);
      keys.forEach(function (key, index) { paretoChart(index, key, byCost); });
      if (!byCost) {
        document.getElementById('pareto').parentNode.appendChild(
          cell('p', 'No prices known: the x axis counts GPUs instead of dollars.')).className = 'note';
      }
    }

    function settingKeys() {
      const keys = Object.keys(object(plan.search));
      candidates.forEach(function (candidate) {
        Object.keys(object(candidate.settings)).forEach(function (key) {
          if (keys.indexOf(key) < 0) {
            keys.push(key);
          }
        });
      });
      return keys;
    }

    function candidateTable() {
      const container = document.getElementById('candidates');
      const keys = settingKeys();
      const notes = [];
      const table = document.createElement('table');
      table.id = 'plan-table';
      const head = table.createTHead().insertRow();
      head.appendChild(cell('th', '')).title = '\u2605 recommended, \u25c6 on the Pareto front';
      if (keys.length === 0) {
        head.appendChild(cell('th', 'configuration'));
      }
      // the key's last part, wrappable at its underscores (the whole key on hover): the table fits the page's width
      keys.forEach(function (key) {
        head.appendChild(cell('th', key.split('.').pop().replace(/_/g, '_\u200b'))).title = key;
      });
      ['status', 'replicas', 'GPUs', 'rate (req/s)', '$/h', '$/M out'].forEach(function (title) {
        head.appendChild(cell('th', title));
      });
      sloKeys.forEach(function (key) {
        const th = head.appendChild(cell('th', metricLabel(key) + ' ms'));
        th.dataset.key = key + '_ms';
        th.title = 'at the operating point (lowest\u2013highest over the seeds); SLO ' + formatNumber(threshold(key)) + ' ms';
      });
      head.appendChild(cell('th', 'saturation (req/s per replica)'));
      head.appendChild(cell('th', 'limited by'));
      head.appendChild(cell('th', '')).title = '\u26a0 outside the calibrated range';
      const body = table.createTBody();
      candidates.forEach(function (candidate) {
        const name = text(candidate.name);
        const status = text(candidate.status);
        const row = body.insertRow();
        row.title = name;
        row.dataset.candidate = status;
        if (status === 'pruned') {
          row.className = 'pruned';
        }
        const marks = [];
        const markTitles = roles(name);
        if (markTitles.length > 0) {
          marks.push('\u2605');
        }
        if (pareto.indexOf(name) >= 0) {
          marks.push('\u25c6');
          markTitles.push('on the Pareto front');
        }
        const mark = row.appendChild(cell('td', marks.join(' ')));
        mark.className = 'mark';
        mark.title = markTitles.join(', ');
        if (keys.length === 0) {
          row.appendChild(cell('td', name)).className = 'variant';
        }
        const settings = object(candidate.settings);
        keys.forEach(function (key) {
          row.appendChild(cell('td', settings[key] === undefined ? '\u2013' : text(settings[key]))).className = 'variant';
        });
        const statusCell = row.appendChild(cell('td', status));
        statusCell.className = 'status-' + status;
        if (text(candidate.reason) !== '') {
          statusCell.title = text(candidate.reason);
        }
        row.appendChild(cell('td', formatNumber(candidate.replicas)));
        const gpus = row.appendChild(cell('td', formatNumber(candidate.gpus)));
        gpus.title = gpuText(candidate);
        row.appendChild(cell('td', formatNumber(candidate.rate)));
        row.appendChild(cell('td', isNumber(candidate.usd_per_hour) ? candidate.usd_per_hour.toFixed(2) : '\u2013'));
        row.appendChild(cell('td', isNumber(candidate.usd_per_million_output_tokens)
          ? candidate.usd_per_million_output_tokens.toFixed(2) : '\u2013'));
        sloKeys.forEach(function (key) {
          const td = row.appendChild(cell('td', figureText(candidate, key + '_ms')));
          td.dataset.key = key + '_ms';
          const value = figures(candidate)[key + '_ms'];
          const limit = threshold(key);
          if (isNumber(value) && limit !== null && value > limit) {
            td.className = 'status-fails';
          }
        });
        const saturation = object(candidate.saturation);
        row.appendChild(cell('td', formatNumber(saturation.rate_per_replica)));
        const limited = row.appendChild(cell('td', text(saturation.limit) || '\u2013'));
        limited.className = 'variant';
        if (text(saturation.detail) !== '') {
          limited.title = text(saturation.detail);
        }
        const calibration = text(candidate.calibration);
        let flag = '';
        if (calibration !== '') {
          let note = notes.indexOf(calibration);
          if (note < 0) {
            notes.push(calibration);
            note = notes.length - 1;
          }
          flag = '\u26a0' + (note + 1);
        }
        const flagCell = row.appendChild(cell('td', flag));
        flagCell.className = 'mark';
        if (calibration !== '') {
          flagCell.title = calibration;
        }
      });
      container.appendChild(table);
      container.appendChild(cell('p', '\u2605 recommended (cheapest, fewest GPUs or highest rate; hover for which); '
        + '\u25c6 on the cost\u2013latency Pareto front; figures are the first seed\u2019s at the operating point, with the lowest and highest over the seeds '
        + 'in brackets and, in square brackets, with the step-time coefficients at the ends of their fitted 90% '
        + 'intervals; red figures miss their SLO.')).className = 'note';
      if (notes.length > 0) {
        const noteList = document.createElement('ul');
        noteList.id = 'calibration-notes';
        noteList.className = 'note footnotes';
        notes.forEach(function (note, index) {
          noteList.appendChild(cell('li', '\u26a0' + (index + 1) + ' ' + note));
        });
        container.appendChild(noteList);
      }
    }

    // same status and reason: one bullet listing the candidates, failing ones first
    function rejected() {
      const container = document.getElementById('rejected');
      const groups = [];
      ['fails', 'pruned'].forEach(function (status) {
        candidates.filter(function (candidate) { return candidate.status === status; }).forEach(function (candidate) {
          const reason = text(candidate.reason) || 'no reason given';
          let group = groups.find(function (g) { return g.status === status && g.reason === reason; });
          if (group === undefined) {
            group = { status: status, reason: reason, names: [] };
            groups.push(group);
          }
          group.names.push(text(candidate.name));
        });
      });
      if (groups.length === 0) {
        container.appendChild(cell('p', 'None: every configuration meets the SLOs.')).className = 'note';
        return;
      }
      const items = document.createElement('ul');
      items.id = 'rejected-list';
      groups.forEach(function (group) {
        const item = document.createElement('li');
        item.dataset.status = group.status;
        item.appendChild(cell('span', group.reason)).className = 'reason';
        item.appendChild(document.createTextNode(' (' + group.status + ', ' + group.names.length + '): '
          + group.names.join('; ')));
        items.appendChild(item);
      });
      container.appendChild(items);
    }

    function evaluations() {
      const details = document.getElementById('evaluations');
      let total = 0;
      const blocks = [];
      candidates.forEach(function (candidate) {
        const steps = list(candidate.evaluations).map(object);
        if (steps.length === 0) {
          return;
        }
        total += steps.length;
        const columns = ['replicas', 'rate', 'meets'];
        steps.forEach(function (step) {
          Object.keys(step).forEach(function (key) {
            if (columns.indexOf(key) < 0) {
              columns.push(key);
            }
          });
        });
        blocks.push(cell('h3', text(candidate.name)));
        const table = document.createElement('table');
        table.className = 'steps';
        const head = table.createTHead().insertRow();
        columns.forEach(function (column) { head.appendChild(cell('th', column)); });
        const body = table.createTBody();
        steps.forEach(function (step) {
          const row = body.insertRow();
          columns.forEach(function (column) {
            const value = step[column];
            row.appendChild(cell('td', typeof value === 'boolean' ? (value ? 'yes' : 'no')
              : isNumber(value) || value === null || value === undefined ? formatNumber(value) : text(value)));
          });
        });
        const wrap = document.createElement('div');
        wrap.className = 'table-wrap';
        wrap.appendChild(table);
        blocks.push(wrap);
      });
      details.appendChild(cell('summary', 'The simulations of each candidate, in the order run (' + total
        + (total === 1 ? ' evaluation)' : ' evaluations)')));
      blocks.forEach(function (block) { details.appendChild(block); });
      if (blocks.length === 0) {
        details.appendChild(cell('p', 'No evaluations recorded.')).className = 'note';
      }
    }

    header();
    recommendationBox();
    paretoCharts();
    candidateTable();
    rejected();
    evaluations();
  };
})();
