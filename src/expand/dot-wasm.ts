/**
 * @module expand/dot-wasm
 * The bytes of `dot.wat`, compiled by `node scripts/build-wasm.mjs` (wabt). Generated: edit the
 * .wat and run the script; a test checks that these are its output.
 */

export const DOT_WASM_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcIAQRkb3RzAAAK8wEB8AEDBH8DewF/IANBcHEhCAJA' +
  'A0AgBSACTw0B/QwAAAAAAAAAAAAAAAAAAAAAIQlBACEGAkADQCAGIAhPDQEgACAGav0ABAAhCiAHIAEgBmpq/QAEACELIAkg' +
  'Cv2HASAL/YcB/boB/a4BIQkgCSAK/YgBIAv9iAH9ugH9rgEhCSAGQRBqIQYMAAsLIAn9GwAgCf0bAWogCf0bAiAJ/RsDamoh' +
  'DAJAA0AgBiADTw0BIAwgACAGaiwAACAHIAEgBmpqLAAAbGohDCAGQQFqIQYMAAsLIAQgBUECdGogDDYCACAHIANqIQcgBUEB' +
  'aiEFDAALCws=';
