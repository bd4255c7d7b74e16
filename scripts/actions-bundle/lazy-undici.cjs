// What the actions' bundle gets for `undici` (the mapping is in tsconfig.json beside this file):
// @actions/http-client, and so @actions/core, imports undici's ProxyAgent at the top of its module, so
// every action evaluated all of undici (about 40 ms of CPU, a third of a bare node start) before reading
// its first input, though undici is used only when a request goes through a proxy or @actions/github's
// fetch. This object loads the real undici on the first use of any of its exports; the importers read
// those exports only when they are called (webpack reads a CommonJS module's exports at the use site).
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: a require() inside a function is what webpack evaluates only when it runs */
let undici;
const load = () => (undici ??= require('undici/index.js'));

module.exports = new Proxy(
  {},
  {
    get: (_target, key) => load()[key],
    has: (_target, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);
