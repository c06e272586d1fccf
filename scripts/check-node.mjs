// Runs under whatever `node` npm found first on PATH; the project needs the pinned Node 26 from node_modules/.bin.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `Switchyard needs Node >= 24 but this is Node ${process.versions.node}.\n` +
      "Run it through npm (npm start, npm test, npm run <script>) so the pinned Node from node_modules/.bin is used, after `npm ci`.",
  );
  process.exit(1);
}
