// Unit tests run the engine on tfjs's pure-JS `cpu` backend, as CI has no GPU.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
await tf.ready();
// The cpu backend greets its first tensor in Node with a banner suggesting tfjs-node (once per test
// file, so many copies per run). It is advice for servers, not a warning about the tests: mark the
// backend as used. (The flags that silence tfjs's logging, PROD and IS_TEST, would also change its
// behaviour: IS_TEST turns on per-kernel leak checks.)
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
