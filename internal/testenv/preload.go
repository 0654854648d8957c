package testenv

// preloadJS is loaded into node with -r before kinesis-mock's main.js.
//
// kinesis-mock binds 0.0.0.0 and has no option for the host, so the first
// part rewrites the host of every TCP net.Server.listen call to 127.0.0.1.
// The second part is a watchdog: once node's parent is no longer the process
// that started it (the test binary died and node was re-parented), node
// exits. It backs up Pdeathsig, which fires when the starting OS thread
// exits rather than the process.
const preloadJS = `'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const a0 = args[0];
  if (a0 !== null && typeof a0 === 'object' && !Array.isArray(a0) && a0.path === undefined) {
    args[0] = Object.assign({}, a0, { host: '127.0.0.1' });
  } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    if (typeof args[1] === 'string') { args[1] = '127.0.0.1'; } else { args.splice(1, 0, '127.0.0.1'); }
  }
  return listen.apply(this, args);
};
const parent = Number(process.env.KINSPECT_TEST_PARENT_PID || 0);
if (parent > 0) {
  setInterval(() => { if (process.ppid !== parent) { process.exit(3); } }, 250).unref();
}
`
