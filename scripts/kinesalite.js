// kinesalite.js PORT [KINESALITE_DIR]
//
// Runs kinesalite (installed by scripts/bench-install.sh) in memory on
// 127.0.0.1:PORT only (its own CLI listens on every interface), with
// streams ACTIVE at once and a shard limit of 100, and prints
// "listening on http://127.0.0.1:PORT" once it accepts connections.
// KINESALITE_DIR is the npm prefix it was installed into (default
// $KINSPECT_BENCH_DIR/kinesalite or $HOME/.cache/kinspect-bench/kinesalite).
'use strict'
const path = require('path')
const os = require('os')

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node kinesalite.js PORT [KINESALITE_DIR]')
  process.exit(2)
}
const benchDir = process.env.KINSPECT_BENCH_DIR || path.join(os.homedir(), '.cache', 'kinspect-bench')
const dir = process.argv[3] || path.join(benchDir, 'kinesalite')
const kinesalite = require(path.join(dir, 'node_modules', 'kinesalite'))

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 })
server.on('error', (err) => {
  console.error('kinesalite: ' + err.message)
  process.exit(1)
})
server.listen(port, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + port))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0)) // in memory: nothing to flush
