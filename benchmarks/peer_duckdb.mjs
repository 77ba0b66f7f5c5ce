// DuckDB's side of benchmarks/compare: loads the CSV exports into in-memory
// tables (timed), prepares the report's columns (timed apart), then runs
// compare_report.sql `reps` times (timed) and writes the first run's rows
// for the figures' check.
//
//   node peer_duckdb.mjs --cases F --interactions F --calendar F --wn F
//       --threads 1 --reps 10 --params '{"asof":19904,...}' --out rows.json
//
// Prints one JSON object: {"engine":"duckdb","threads":..,"load_ms":[..],
// "load_cpu_ms":[..],"prepare_ms":[..],"report_ms":[..],"report_cpu_ms":[..]}
// (CPU: the process's, all DuckDB threads included).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const here = dirname(fileURLToPath(import.meta.url));
const params = JSON.parse(args.params);
const statements = splitSql(readFileSync(join(here, 'compare_report.sql'), 'utf8'))
  .map((s) => s.replace(/:(\w+)/g, (_, name) => {
    if (!(name in params)) throw new Error(`no parameter ${name}`);
    return String(params[name]);
  }));

function splitSql(text) {
  return text.split(/;\s*\n/)
    .map((s) => s.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').trim())
    .filter((s) => s.length > 0);
}

const quote = (path) => `'${path.replace(/'/g, "''")}'`;
const date = (column) => `CAST(${column} - DATE '1970-01-01' AS INTEGER)`;

// A memory limit of 60% of what the machine has free, so that a data set
// too large fails (and compare says so) rather than pushing the machine
// into swap or the OOM killer; DuckDB spills what it can to its temporary
// directory.
const freeKb = Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))[1]);
const instance = await DuckDBInstance.create(':memory:', {
  threads: String(args.threads),
  memory_limit: `${Math.floor(freeKb * 0.6 / 1024)}MB`,
});
const con = await instance.connect();

// Reference data, not timed: the calendar of working days and periods.
await con.run(`CREATE TABLE cal AS SELECT * FROM read_csv(${quote(args.calendar)}, header=true,
  columns={'day':'INTEGER','working':'INTEGER','cnt':'INTEGER','pidx':'INTEGER','midx':'INTEGER'})`);
await con.run(`CREATE TABLE wn AS SELECT * FROM read_csv(${quote(args.wn)}, header=true,
  columns={'cnt':'INTEGER','day':'INTEGER'})`);

const caseColumns = {
  case_ref: 'VARCHAR', type: 'VARCHAR', received: 'TIMESTAMP', directorate: 'VARCHAR',
  service: 'VARCHAR', channel: 'VARCHAR', customer: 'VARCHAR', s1_acknowledged: 'DATE',
  s1_extended_to: 'DATE', s1_responded: 'DATE', s1_outcome: 'VARCHAR', s2_requested: 'DATE',
  s2_acknowledged: 'DATE', s2_extended_to: 'DATE', s2_responded: 'DATE', s2_outcome: 'VARCHAR',
  withdrawn: 'DATE', ombudsman: 'VARCHAR', ombudsman_received: 'DATE',
  ombudsman_decision: 'VARCHAR', ombudsman_decided: 'DATE', lessons_learnt: 'DATE',
  remedy_amount: 'DECIMAL(14,2)', team: 'VARCHAR', staff: 'VARCHAR',
};
const interactionColumns = {
  interaction_id: 'VARCHAR', at: 'TIMESTAMP', channel: 'VARCHAR', directorate: 'VARCHAR',
  service: 'VARCHAR', kind: 'VARCHAR', customer: 'VARCHAR', case_ref: 'VARCHAR',
};
const columns = (c) => '{' + Object.entries(c).map(([k, v]) => `'${k}':'${v}'`).join(',') + '}';

// CSV load, timed: read_csv of both files into typed tables.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const loadStart = performance.now();
const loadCpu = cpuMs();
await con.run(`CREATE TABLE raw_cases AS SELECT * FROM read_csv(${quote(args.cases)},
  header=true, auto_detect=false, columns=${columns(caseColumns)})`);
await con.run(`CREATE TABLE raw_interactions AS SELECT * FROM read_csv(${quote(args.interactions)},
  header=true, auto_detect=false, columns=${columns(interactionColumns)})`);
const loadMs = performance.now() - loadStart;
const loadCpuMs = cpuMs() - loadCpu;

// Preparation, timed apart: the columns as tellus keeps them (directorate
// and service as a cell code, dates as day numbers), which the report's
// queries run several times faster on than on the strings.
const prepareStart = performance.now();
const svc = (dir, service) => `CASE WHEN ${dir} IS NULL THEN '' ELSE coalesce(${service}, '') END`;
await con.run(`CREATE TABLE cells AS
  SELECT CAST(row_number() OVER (ORDER BY dir, svc) AS INTEGER) AS cell, dir, svc FROM (
    SELECT DISTINCT coalesce(directorate, '') AS dir, ${svc('directorate', 'service')} AS svc
    FROM raw_interactions
    UNION SELECT directorate, ${svc('directorate', 'service')} FROM raw_cases)`);
await con.run(`CREATE TABLE cases AS SELECT case_ref AS ref, type, cl.cell AS cell,
  ${date('CAST(received AS DATE)')} AS rcv,
  ${date('s1_acknowledged')} AS ack1, ${date('s1_extended_to')} AS ext1,
  ${date('s1_responded')} AS s1, s1_outcome AS out1,
  ${date('s2_requested')} AS esc, ${date('s2_acknowledged')} AS ack2,
  ${date('s2_extended_to')} AS ext2, ${date('s2_responded')} AS s2, s2_outcome AS out2,
  ${date('withdrawn')} AS wdn, ombudsman AS body, ${date('ombudsman_received')} AS referred,
  ombudsman_decision AS decision, ${date('ombudsman_decided')} AS decided,
  ${date('lessons_learnt')} AS lesson,
  coalesce(CAST(round(remedy_amount * 100) AS BIGINT), 0) AS remedy
  FROM raw_cases r JOIN cells cl
    ON cl.dir = r.directorate AND cl.svc = ${svc('r.directorate', 'r.service')}`);
await con.run(`CREATE TABLE interactions AS SELECT cl.cell AS cell,
  ${date('CAST("at" AS DATE)')} AS d, kind, case_ref
  FROM raw_interactions r JOIN cells cl
    ON cl.dir = coalesce(r.directorate, '') AND cl.svc = ${svc('r.directorate', 'r.service')}`);
await con.run('DROP TABLE raw_cases');
await con.run('DROP TABLE raw_interactions');
const prepareMs = performance.now() - prepareStart;

const reportMs = [];
const reportCpuMs = [];
let first = null;
for (let rep = 0; rep < Number(args.reps); ++rep) {
  const start = performance.now();
  const cpu = cpuMs();
  const results = [];
  for (const sql of statements) {
    const reader = await con.runAndReadAll(sql);
    results.push(reader.getRowObjectsJson());
  }
  reportMs.push(performance.now() - start);
  reportCpuMs.push(cpuMs() - cpu);
  if (first === null) first = results;
}
writeFileSync(args.out, JSON.stringify(first));
console.log(JSON.stringify({ engine: 'duckdb', threads: Number(args.threads),
  load_ms: [loadMs], load_cpu_ms: [loadCpuMs], prepare_ms: [prepareMs], report_ms: reportMs,
  report_cpu_ms: reportCpuMs }));
