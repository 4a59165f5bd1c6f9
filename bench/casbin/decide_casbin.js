// decide_casbin: the reference for bench/run-decide.sh. Builds a node-casbin ABAC model
// equivalent to a sekisho profile's handling rules (dumped by bench/decide_bench --dump),
// checks that it reaches the same decision as sekisho for every input, then measures
// enforcements per second on one core.
//
// The equivalent model: one policy line per (rule, action) with a set per attribute (levels,
// zone, actor role, flags; "*" for any) tested by a matcher function `inSet` registered with
// casbin's addFunction (casbin's regexMatch builtin works too but compiles a RegExp per call
// and is about 5x slower), and the rule's `unless:` as a negated conjunction; lines are sorted by (priority desc, strictness desc) and the effect is the
// first match, so the matched line's decision is the strictest decision of the highest
// priority, as in sekisho. casbin answers only the winning decision; sekisho also unions
// safeguards and citations, so the comparison favours casbin. Inputs where sekisho folds the
// silent answer in (asset type unknown and only type-conditioned rules held) have no
// first-match equivalent: they are timed but left out of the agreement check, and counted.
'use strict';
const fs = require('fs');
const path = require('path');
const casbin = require(path.join(process.env.CASBIN_DIR || __dirname, 'node_modules', 'casbin'));

const STRICT = { allow: 0, allow_with_safeguards: 1, require_approval: 2, forbid: 3 };

async function main() {
  const [dumpFile, secondsArg] = process.argv.slice(2);
  const seconds = Number(secondsArg || 3);
  const dump = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));

  const model = casbin.newModelFromString(`
[request_definition]
r = act, conf, integ, avail, zone, role, mynumber, personal, type, tozone

[policy_definition]
p = act, conf, integ, avail, zone, role, mynumber, personal, type, tozone, hasunless, uconf, uinteg, uavail, uzone, urole, umynumber, upersonal, utype, utozone, dec, id

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && inSet(r.conf, p.conf) && inSet(r.integ, p.integ) && inSet(r.avail, p.avail) && inSet(r.zone, p.zone) && inSet(r.role, p.role) && inSet(r.mynumber, p.mynumber) && inSet(r.personal, p.personal) && inSet(r.type, p.type) && inSet(r.tozone, p.tozone) && (p.hasunless == "0" || !(inSet(r.conf, p.uconf) && inSet(r.integ, p.uinteg) && inSet(r.avail, p.uavail) && inSet(r.zone, p.uzone) && inSet(r.role, p.urole) && inSet(r.mynumber, p.umynumber) && inSet(r.personal, p.upersonal) && inSet(r.type, p.utype) && inSet(r.tozone, p.utozone)))
`);
  const e = await casbin.newEnforcer(model);
  await e.addFunction('inSet', (v, set) => set === '*' || set.includes('|' + v + '|'));
  const rules = dump.rules.map((r, i) => ({ ...r, order: i }));
  rules.sort((a, b) => b.priority - a.priority || STRICT[b.decision] - STRICT[a.decision] ||
                       a.order - b.order);
  const any = { conf: '*', integ: '*', avail: '*', zone: '*', role: '*', mynumber: '*',
                personal: '*', type: '*', to_zone: '*' };
  // decide_bench dumps each condition as an anchored alternation, "^(2|3)$", or ".*" for any.
  const toSet = (re) => {
    if (re === '.*') return '*';
    if (re === '^$never') return '';
    const m = /^\^\(?(.*?)\)?\$$/.exec(re);
    return '|' + m[1].split('|').join('|') + '|';
  };
  const sets = (c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, toSet(v)]));

  const lines = [];
  for (const r of rules) {
    const w = sets(r.when), u = r.unless ? sets(r.unless) : any;
    for (const act of r.actions) {
      lines.push([act, w.conf, w.integ, w.avail, w.zone, w.role, w.mynumber, w.personal,
                  w.type, w.to_zone, r.unless ? '1' : '0', u.conf, u.integ, u.avail, u.zone,
                  u.role, u.mynumber, u.personal, u.type, u.to_zone, r.decision, r.id]);
    }
  }
  await e.addPolicies(lines);

  const req = dump.inputs.map(x => [x.act, x.conf, x.integ, x.avail, x.zone, x.role,
                                    x.mynumber, x.personal, x.type, x.to_zone]);
  const DEC = 20; // index of dec in a policy line
  const decide = (q) => {
    const [ok, rule] = e.enforceExSync(...q);
    return ok ? rule[DEC] : 'fallback';
  };
  let mismatches = 0;
  let folded = 0;
  let firstMismatch = null;
  for (let i = 0; i < req.length; i++) {
    if (dump.inputs[i].folded) {
      folded++;
      continue;
    }
    const got = decide(req[i]);
    if (got !== dump.inputs[i].decision) {
      mismatches++;
      if (!firstMismatch) firstMismatch = { input: dump.inputs[i], casbin: got };
    }
  }
  let count = 0;
  const t0 = process.hrtime.bigint();
  let t1 = t0;
  const limit = BigInt(Math.round(seconds * 1e9));
  let sink = 0;
  while (t1 - t0 < limit) {
    for (let i = 0; i < req.length && (i & 1023 || process.hrtime.bigint() - t0 < limit); i++) {
      sink += decide(req[i]).length;
      count++;
    }
    t1 = process.hrtime.bigint();
  }
  const secs = Number(t1 - t0) / 1e9;
  console.log(JSON.stringify({ casbin: require(path.join(process.env.CASBIN_DIR || __dirname,
    'node_modules', 'casbin', 'package.json')).version, policy_lines: lines.length,
    inputs: req.length, mismatches, folded_unchecked: folded, first_mismatch: firstMismatch,
    decisions: count,
    seconds: secs, per_second: Math.round(count / secs), sink: sink % 1000 }));
}

main().catch(err => { console.error(err); process.exit(1); });
