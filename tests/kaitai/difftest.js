#!/usr/bin/env node
// The differential test of ShmScope's .ksy interpreter (structures/) against the official Kaitai
// Struct implementation: kaitai-struct-compiler (Scala.js build) compiles each layout of the corpus to
// JavaScript in debug mode (every attribute records its start and end position and its stream's
// offset), kaitai-struct (the JavaScript runtime) runs it; ksydump (ksydump.cpp) decodes the same
// bytes with the interpreter. For every layout: fixed inputs (inputs.json), mutations of them and
// random buffers from a seeded generator (the same on every run). Every field's value and absolute
// byte range must be equal on both sides, and both must fail, or not, on the same inputs.
//
//   node difftest.js --npm DIR --dumper KSYDUMP --work DIR --corpus DIR [--corpus DIR]... --inputs FILE
//                    [--random N] [--only NAME] [--verbose]
//
// Known differences, allowed and counted (not hidden): Kaitai's JavaScript expressions do not fail
// where the interpreter does (a division by zero gives Infinity, an index out of range undefined);
// a field the interpreter reports as failed is accepted when the JavaScript value is undefined, NaN
// or infinite. The runtime's s8 readers get some negative values wrong (see jsRuntimeS8): the exact
// value is accepted when the runtime's formula turns it into the value it returned. TextDecoder drops a leading byte order mark that the interpreter keeps (it is in the
// bytes): one leading U+FEFF is ignored when comparing strings. The runtime truncates sizes to 32 bits
// (see `truncated` in compare()).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

function parseArgs() {
    const args = { corpus: [], random: 100, verbose: false };
    const argv = process.argv.slice(2);
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i];
        if (a === '--corpus') args.corpus.push(argv[++i]);
        else if (a === '--verbose') args.verbose = true;
        else if (a === '--random') args.random = Number(argv[++i]);
        else if (a.startsWith('--')) args[a.slice(2)] = argv[++i];
        else throw new Error('unexpected argument ' + a);
    }
    for (const k of ['npm', 'dumper', 'work', 'inputs']) {
        if (!args[k]) throw new Error('missing --' + k);
        args[k] = path.resolve(args[k]);
    }
    args.corpus = args.corpus.map((d) => path.resolve(d));
    return args;
}

const args = parseArgs();
const nodeModules = path.join(args.npm, 'node_modules');
const yaml = require(path.join(nodeModules, 'js-yaml'));
const compiler = require(path.join(nodeModules, 'kaitai-struct-compiler'));
const KaitaiStream = require(path.join(nodeModules, 'kaitai-struct', 'KaitaiStream'));

// mulberry32: a small seeded generator, so that "random" inputs are the same on every run.
function rng(seed) {
    return function () {
        seed |= 0;
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function hashString(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; ++i) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h >>> 0;
}

function upperCamel(id) {
    return id.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

function lowerCamel(id) {
    const parts = id.split('_');
    return parts[0] + parts.slice(1).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

// The paths ksydump prints use the .ksy ids; the generated JavaScript uses lowerCamelCase names.
function camelPath(p) {
    return p.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => lowerCamel(id));
}

function isStruct(v) {
    return v !== null && typeof v === 'object' && v._io !== undefined && v._debug !== undefined;
}

// Walks a parsed object as ksydump walks its tree: seq fields in order (the _debug keys), then
// instances (the prototype's getters), each with its value and absolute range.
function walk(obj, prefix, out) {
    const dbg = obj._debug;
    let seqFailed = false;
    for (const key of Object.keys(dbg)) {
        if (key.startsWith('_m_')) continue;
        const d = dbg[key];
        if (!('end' in d) || d.validationError) seqFailed = true;
        record(prefix ? prefix + '.' + key : key, obj[key], d, out, false);
    }
    if (seqFailed || obj._shmscopeFailed) return;
    const proto = Object.getPrototypeOf(obj);
    for (const name of Object.getOwnPropertyNames(proto)) {
        const desc = Object.getOwnPropertyDescriptor(proto, name);
        if (!desc || !desc.get) continue;
        let value;
        let failed = false;
        try {
            value = obj[name];
        } catch (e) {
            failed = true;
        }
        const d = dbg['_m_' + name];
        const p = prefix ? prefix + '.' + name : name;
        if (failed) {
            // The instance threw: what it read so far is still in the object (_m_name) for a struct.
            out.set(p, { path: p, incomplete: true });
            const partial = obj['_m_' + name];
            if (isStruct(partial)) walk(partial, p, out);
            continue;
        }
        const isValue = !d || !('start' in d);
        record(p, value, d, out, isValue);
    }
}

function record(p, value, d, out, isValueInstance) {
    const r = { path: p };
    const complete = d && 'end' in d && !d.validationError;
    if (isValueInstance) {
        if (isStruct(value) || Array.isArray(value)) {
            r.kind = 'ref';
            out.set(p, r);
            return;
        }
    } else if (!complete) {
        r.incomplete = true;
    } else {
        r.start = d.ioOffset + d.start;
        r.end = d.ioOffset + d.end;
    }
    if (Array.isArray(value)) {
        r.kind = 'array';
        r.count = value.length;
        out.set(p, r);
        const arr = (d && d.arr) || [];
        for (let i = 0; i < Math.max(value.length, arr.length); ++i)
            record(p + '[' + i + ']', value[i], arr[i], out, false);
        return;
    }
    if (isStruct(value)) {
        r.kind = 'struct';
        out.set(p, r);
        walk(value, p, out);
        return;
    }
    if (value instanceof Uint8Array) {
        r.kind = 'bytes';
        r.value = hex(value);
    } else if (typeof value === 'number') {
        r.kind = 'number';
        r.value = value;
    } else if (typeof value === 'boolean') {
        r.kind = 'bool';
        r.value = value;
    } else if (typeof value === 'string') {
        r.kind = 'str';
        r.value = value;
    } else {
        r.kind = 'null';
        r.value = null;
    }
    out.set(p, r);
}

function decodeJs(cls, bytes, params) {
    const buffer = new Uint8Array(bytes).buffer; // its own ArrayBuffer, offset 0
    const out = new Map();
    const obj = new cls(new KaitaiStream(buffer), null, null, ...params);
    let error = null;
    try {
        obj._read();
    } catch (e) {
        error = e;
        obj._shmscopeFailed = true;
    }
    walk(obj, '', out);
    return { error, fields: out };
}

function normalizeMine(line) {
    const out = new Map();
    for (const f of line.fields) {
        const r = Object.assign({}, f);
        r.path = camelPath(f.path);
        if (r.kind === 'int' || r.kind === 'float') r.kind = 'number';
        out.set(r.path, r);
    }
    return { error: line.error, errorPath: line.errorPath, fields: out };
}

function sameNumber(mine, theirs) {
    if (typeof mine === 'string') mine = { inf: Infinity, '-inf': -Infinity }[mine] ?? NaN; // ksydump: "nan", "inf"
    if (Number.isNaN(mine) && Number.isNaN(theirs)) return true;
    if (mine === theirs) return true;
    // s8/u8 beyond 2^53: the runtime computes them in doubles, with rounding of its own.
    if (Math.abs(theirs) > 2 ** 53) return Math.abs(mine - theirs) <= Math.abs(theirs) * 4e-16;
    return false;
}

// The JavaScript runtime's readS8le/readS8be compute a negative value wrongly when the low 32 bits'
// complement does not fit a signed 32-bit int (`v1 ^ 0xffffffff` is signed in JavaScript): e.g.
// -2^40 reads as -1095216660480. This is that formula applied to the exact value.
function jsRuntimeS8(text) {
    const v = BigInt.asUintN(64, BigInt(text));
    const v1 = Number(v & 0xffffffffn);
    const v2 = Number(v >> 32n);
    if ((v2 & 0x80000000) === 0) return null;
    return -(0x100000000 * (v2 ^ 0xffffffff) + (v1 ^ 0xffffffff)) - 1;
}

function sameValue(a, b) {
    if (a.kind !== b.kind) return false;
    if (a.kind === 'number' && a.text !== undefined && !sameNumber(a.value, b.value) &&
        jsRuntimeS8(a.text) === b.value) {
        stats.knownDifferences++;
        return true;
    }
    if (a.kind === 'number' && a.text !== undefined && !sameNumber(a.value, b.value) &&
        (Math.abs(b.value) >= 2 ** 63 || Math.abs(a.value) >= 2 ** 53)) {
        // Integer arithmetic past 2^53: the interpreter's is 64-bit (it wraps, as Kaitai's C++ and
        // Java targets do), JavaScript's is in doubles.
        stats.knownDifferences++;
        return true;
    }
    if (a.kind === 'number') return sameNumber(a.value, b.value);
    if (a.kind === 'str') return a.value === b.value || a.value === '\ufeff' + b.value;
    if (a.kind === 'array') return a.count === b.count;
    if (a.kind === 'struct' || a.kind === 'ref') return true;
    return a.value === b.value;
}

function jsNoValue(r) {
    return r.kind === 'null' || (r.kind === 'number' && !Number.isFinite(r.value));
}

const stats = { layouts: 0, inputs: 0, fields: 0, knownDifferences: 0, failedInputs: 0, bothErrors: 0 };

function compare(name, label, mine, theirs, problems) {
    const local = [];
    if (!!mine.error !== !!theirs.error)
        local.push(`error: interpreter ${JSON.stringify(mine.error)} at '${mine.errorPath}', ` +
            `kaitai ${theirs.error ? JSON.stringify(String(theirs.error.message || theirs.error)) : 'none'}`);
    if (mine.error && theirs.error) stats.bothErrors++;
    // Sizes of 2^31 bytes and more: the runtime's mapUint8Array truncates them to 32 bits
    // (`length |= 0`) and reads something; the interpreter reports the size as past the end. Such a
    // node and what kaitai read inside it are a known difference.
    const truncated = [];
    for (const [p, a] of mine.fields) {
        const m = a.error && /(-?\d+) byte\(s\)|negative (?:size|pos) (-?\d+)/.exec(a.error);
        const n = m ? Math.abs(Number(m[1] || m[2])) : 0;
        const clamped = a.error && a.error.startsWith('negative pos'); // the runtime's seek() clamps to 0
        if (m && (n >= 2 ** 31 || clamped) && theirs.fields.has(p) && !theirs.fields.get(p).incomplete) truncated.push(p);
    }
    const paths = new Set([...mine.fields.keys(), ...theirs.fields.keys()]);
    for (const p of paths) {
        if (truncated.some((t) => p === t || p.startsWith(t + '.') || p.startsWith(t + '['))) {
            stats.knownDifferences++;
            continue;
        }
        const a = mine.fields.get(p);
        const b = theirs.fields.get(p);
        if (!a || !b) {
            const only = a || b;
            if (only.incomplete) continue; // the element being read when both stopped
            local.push(`${p}: only in ${a ? 'the interpreter' : 'kaitai'}: ${JSON.stringify(only)}`);
            continue;
        }
        if (a.incomplete || b.incomplete) {
            if (a.incomplete && b.incomplete) continue;
            if (a.incomplete && !b.incomplete && jsNoValue(b)) {
                stats.knownDifferences++;
                continue;
            }
            local.push(`${p}: incomplete in ${a.incomplete ? 'the interpreter' : 'kaitai'} only: ` +
                `interpreter ${JSON.stringify(a)}, kaitai ${JSON.stringify(b)}`);
            continue;
        }
        stats.fields++;
        if (!sameValue(a, b)) {
            local.push(`${p}: value: interpreter ${JSON.stringify(a)}, kaitai ${JSON.stringify(b)}`);
            continue;
        }
        if (a.start !== b.start || a.end !== b.end)
            local.push(`${p}: range: interpreter [${a.start}, ${a.end}), kaitai [${b.start}, ${b.end})`);
    }
    if (local.length) {
        stats.failedInputs++;
        problems.push(`${name} ${label}:\n    ` + local.slice(0, 12).join('\n    ') +
            (local.length > 12 ? `\n    … ${local.length - 12} more` : ''));
    }
}

function inputsFor(name, spec, random) {
    const r = rng(hashString(name));
    const inputs = [];
    const fixed = (spec.fixed || []).map((h) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g) || [], (x) => parseInt(x, 16)));
    fixed.forEach((b, i) => inputs.push({ label: `fixed#${i}`, bytes: b }));
    // Mutations of the fixed inputs: a few bytes changed, or cut short.
    fixed.forEach((b, i) => {
        for (let k = 0; k < 12; ++k) {
            const m = Uint8Array.from(b);
            const changes = 1 + Math.floor(r() * 3);
            for (let c = 0; c < changes && m.length; ++c) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
            const cut = k % 4 === 3 ? Math.floor(r() * (m.length + 1)) : m.length;
            inputs.push({ label: `fixed#${i}-mutation#${k}`, bytes: m.slice(0, cut) });
        }
    });
    // Random buffers: mostly short, some longer; small values are likelier (counts, sizes).
    const maxLength = spec.maxRandomLength || 96;
    if (spec.random !== undefined) random = spec.random;
    for (let k = 0; k < random; ++k) {
        const length = Math.floor(r() * (k % 3 === 0 ? maxLength * 4 : maxLength));
        const b = new Uint8Array(length);
        const small = k % 2 === 0;
        for (let i = 0; i < length; ++i) b[i] = small && r() < 0.7 ? Math.floor(r() * 4) : Math.floor(r() * 256);
        inputs.push({ label: `random#${k}`, bytes: b });
    }
    return inputs;
}

async function main() {
    const specs = JSON.parse(fs.readFileSync(args.inputs, 'utf8'));
    fs.rmSync(args.work, { recursive: true, force: true });
    fs.mkdirSync(args.work, { recursive: true });
    // The generated modules require 'kaitai-struct/KaitaiStream': resolve it from the npm folder.
    const genRoot = path.join(args.work, 'gen');
    fs.mkdirSync(path.join(genRoot, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.join(nodeModules, 'kaitai-struct'), path.join(genRoot, 'node_modules', 'kaitai-struct'));

    const files = [];
    for (const dir of args.corpus)
        for (const f of fs.readdirSync(dir).sort())
            if (f.endsWith('.ksy')) files.push(path.join(dir, f));
    const problems = [];
    const seen = new Set();
    for (const file of files) {
        const name = path.basename(file, '.ksy');
        if (args.only && name !== args.only) continue;
        seen.add(name);
        const ksy = yaml.load(fs.readFileSync(file, 'utf8'));
        let compiled;
        try {
            compiled = await compiler.compile('javascript', ksy, null, true);
        } catch (e) {
            problems.push(`${name}: kaitai-struct-compiler refused it: ${e && e.message ? e.message : e}`);
            continue;
        }
        const dir = path.join(genRoot, name);
        fs.mkdirSync(dir, { recursive: true });
        for (const [f, text] of Object.entries(compiled)) fs.writeFileSync(path.join(dir, f), text);
        const className = upperCamel(ksy.meta.id);
        const cls = require(path.join(dir, className + '.js'))[className];
        const spec = specs[name] || {};
        const params = spec.params || {};
        const rootParams = (ksy.params || []).map((p) => params[p.id]);
        const inputs = inputsFor(name, spec, args.random);
        const inputDir = path.join(args.work, 'inputs', name);
        fs.mkdirSync(inputDir, { recursive: true });
        const inputFiles = inputs.map((input, i) => {
            const f = path.join(inputDir, `${i}.bin`);
            fs.writeFileSync(f, input.bytes);
            return f;
        });
        const dumperArgs = [file];
        for (const [id, v] of Object.entries(params)) dumperArgs.push('--param', `${id}=${v}`);
        const output = execFileSync(args.dumper, dumperArgs.concat(inputFiles), { maxBuffer: 1 << 30 }).toString();
        const lines = output.trim().split('\n').map((l) => JSON.parse(l));
        if (lines.length !== inputs.length) throw new Error(`${name}: ksydump printed ${lines.length} lines`);
        stats.layouts++;
        inputs.forEach((input, i) => {
            stats.inputs++;
            const theirs = decodeJs(cls, input.bytes, rootParams);
            const mine = normalizeMine(lines[i]);
            compare(name, `${input.label} (${inputFiles[i]})`, mine, theirs, problems);
        });
        if (args.verbose) console.log(`${name}: ${inputs.length} inputs`);
    }
    for (const name of Object.keys(specs))
        if (!seen.has(name) && !args.only) problems.push(`inputs.json names '${name}', which is not in the corpus`);

    console.log(`layouts ${stats.layouts}, inputs ${stats.inputs}, fields compared ${stats.fields}, ` +
        `inputs where both failed ${stats.bothErrors}, known differences accepted ${stats.knownDifferences}`);
    if (problems.length) {
        console.log(problems.slice(0, 40).join('\n'));
        if (problems.length > 40) console.log(`… ${problems.length - 40} more`);
        console.log(`FAILED: ${stats.failedInputs} of ${stats.inputs} inputs differ`);
        process.exit(1);
    }
    if (stats.layouts < 25 && !args.only) {
        console.log(`FAILED: only ${stats.layouts} layouts in the corpus (at least 25 expected)`);
        process.exit(1);
    }
    console.log('all equal');
}

main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
});
