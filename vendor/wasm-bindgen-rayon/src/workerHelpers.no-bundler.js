/*
 * Copyright 2022 Google Inc. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *     http://www.apache.org/licenses/LICENSE-2.0
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// This file is kept similar to workerHelpers.js, but intended to be used in
// a bundlerless ES module environment (which has a few differences).

function waitForMsgType(target, type) {
  return new Promise(resolve => {
    target.addEventListener('message', function onMsg({ data }) {
      if (data == null || data.type !== type) return;
      target.removeEventListener('message', onMsg);
      resolve(data);
    });
  });
}

// Also loaded as a regular script: wait for this file's own message.
waitForMsgType(self, 'wasm_bindgen_worker_init').then(async data => {
  // Patched (vendor/README.md, 2).
  let pkg;
  try {
    pkg = await import(data.mainJS);
    await pkg.default(data.module, data.memory);
  } catch (error) {
    postMessage({ type: 'wasm_bindgen_worker_failed', message: String(error) });
    return;
  }
  postMessage({ type: 'wasm_bindgen_worker_ready' });
  pkg.wbg_rayon_start_worker(data.receiver);
});

// Patched (vendor/README.md, 1): the worker that builds the pool.
waitForMsgType(self, 'wasm_bindgen_worker_build').then(async data => {
  try {
    const pkg = await import(data.mainJS);
    await pkg.default(data.module, data.memory);
    pkg.wbg_rayon_build_pool(data.builder);
  } catch (error) {
    postMessage({ type: 'wasm_bindgen_worker_failed', message: String(error) });
    return;
  }
  postMessage({ type: 'wasm_bindgen_worker_built' });
});

// Patched (vendor/README.md, 2): `done` from `worker`, or why it failed.
function startedOrFailed(worker, done) {
  return new Promise((resolve, reject) => {
    const failed = (event) =>
      reject(new Error(`a worker could not start: ${event.message || 'its script failed to load'}`));
    worker.addEventListener('error', failed);
    waitForMsgType(worker, done).then(() => {
      worker.removeEventListener('error', failed);
      resolve();
    });
    waitForMsgType(worker, 'wasm_bindgen_worker_failed').then(({ message }) =>
      reject(new Error(`a worker could not load the module: ${message}`)));
  });
}

// Never read: keeps the Workers rooted (Firefox bug 1702191).
let _workers;

export async function startWorkers(module, memory, builder) {
  if (builder.numThreads() === 0) {
    throw new Error(`num_threads must be > 0.`);
  }

  const workerInit = {
    type: 'wasm_bindgen_worker_init',
    module,
    memory,
    receiver: builder.receiver(),
    mainJS: builder.mainJS()
  };

  _workers = await Promise.all(
    Array.from({ length: builder.numThreads() }, () =>
      spawnWorker(workerInit, 'wasm_bindgen_worker_ready'))
  );
  // Patched (vendor/README.md, 1): built in a worker, not on this thread.
  const poolBuilder = await spawnWorker({
    type: 'wasm_bindgen_worker_build',
    module,
    memory,
    builder: builder.pointer(),
    mainJS: workerInit.mainJS
  }, 'wasm_bindgen_worker_built');
  poolBuilder.terminate();
}

// Patched (vendor/README.md, 1 and 2): one worker, sent `message`.
async function spawnWorker(message, done) {
  // A blob, so that a script hosted elsewhere (a CDN) still starts.
  let scriptBlob = await fetch(import.meta.url).then(r => r.blob());
  let url = URL.createObjectURL(scriptBlob);
  const worker = new Worker(url, {
    type: 'module'
  });
  worker.postMessage(message);
  try {
    await startedOrFailed(worker, done);
  } finally {
    URL.revokeObjectURL(url);
  }
  return worker;
}
