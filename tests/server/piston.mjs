// Piston's own npm client (piston-client) against sentry serve.
// usage: node piston.mjs NPM_PREFIX URL
const [prefix, url] = process.argv.slice(2);
const { piston } = await import(`${prefix}/node_modules/piston-client/index.js`);
const client = piston({ server: url });
let failed = 0;
const check = (what, ok, got) => {
	console.log(`${ok ? 'ok' : 'FAIL'}: piston-client ${what}`);
	if (!ok) {
		failed = 1;
		console.log(JSON.stringify(got));
	}
};

const runtimes = await client.runtimes();
check('runtimes() lists python, bash, c, javascript', Array.isArray(runtimes) &&
	['python', 'bash', 'c', 'javascript'].every(l => runtimes.some(r => r.language === l)), runtimes);

let r = await client.execute('python', 'import sys\nprint("hello from python", sys.argv[1:])');
check('execute python (its default args 1 2 3)', r.run && r.run.stdout === "hello from python ['1', '2', '3']\n" &&
	r.run.code === 0 && r.language === 'python', r);

r = await client.execute('bash', 'read line; echo "bash read $line"; echo to-stderr >&2', { stdin: 'a line\n', args: [] });
check('execute bash with stdin', r.run && r.run.stdout === 'bash read a line\n' && r.run.stderr === 'to-stderr\n' &&
	r.run.output === 'bash read a line\nto-stderr\n', r);

r = await client.execute('c', '#include <stdio.h>\nint main(int argc, char **argv) { printf("c got %d args\\n", argc - 1); return 7; }');
check('execute c: compiled, then run', r.compile && r.compile.code === 0 && r.run && r.run.stdout === 'c got 3 args\n' &&
	r.run.code === 7, r);

r = await client.execute('javascript', 'console.log([1, 2, 3].map(x => x * 2).join(","))', { args: [] });
check('execute javascript', r.run && r.run.stdout === '2,4,6\n' && r.run.code === 0, r);

r = await client.execute({ language: 'python', version: '3', files: [{ name: 'main.py', content: 'import helper\nhelper.hi()' },
	{ name: 'helper.py', content: 'def hi():\n    print("hi from a second file")' }], args: [] });
check('execute with two files and a version prefix', r.run && r.run.stdout === 'hi from a second file\n', r);

r = await client.execute('python', 'while True: pass', { runTimeout: 500, args: [] });
check('runTimeout ends an endless loop (status TO)', r.run && r.run.status === 'TO' && r.run.code === null, r);

r = await client.execute('cobol', 'DISPLAY "HI"');
check('an unknown language answers a message', typeof r.message === 'string' && r.message.length > 0, r);

process.exit(failed);
