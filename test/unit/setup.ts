// Unit tests run the engine on tfjs's pure-JS `cpu` backend, as CI has no GPU.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
await tf.ready();
