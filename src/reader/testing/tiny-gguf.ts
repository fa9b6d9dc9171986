/**
 * @module reader/testing/tiny-gguf
 * @internal Writes a tiny llama-architecture GGUF model (GGUF v3, f32 tensors) whose greedy output
 * is known in advance, so the local-model client is tested on a real model run by llama.cpp
 * without downloading one. Every attention and feed-forward weight is zero, so each position's
 * hidden state is its token's embedding: a one-hot vector. The output matrix then makes the model a
 * bigram table: a token of `reply` is followed by the next one (the last by `<|im_end|>`), and
 * every other token (the whole prompt) by the reply's first. Greedy decoding thus writes `reply`,
 * whatever the prompt. The vocabulary is SentencePiece-style: `<unk>`, `<s>`, `</s>`, ChatML's two
 * control tokens, the 256 byte tokens (so any prompt tokenizes), `▁` (a space, as in SentencePiece),
 * then one token per reply piece (pieces must be distinct).
 */

import { writeFileSync } from 'node:fs';

const ALIGN = 32;
/** GGUF metadata value types. */
const Kind = { U32: 4, I32: 5, F32: 6, STRING: 8, ARRAY: 9 } as const;
type Value =
  | { kind: 4 | 5 | 6; value: number }
  | { kind: 8; value: string }
  | { kind: 9; of: 5 | 6; value: number[] }
  | { kind: 9; of: 8; value: string[] };

class Bytes {
  private parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  /** A little-endian number of `size` bytes, written by `write`. */
  private fixed(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.push(b);
  }
  u32(v: number): void {
    this.fixed(4, (b) => b.writeUInt32LE(v));
  }
  i32(v: number): void {
    this.fixed(4, (b) => b.writeInt32LE(v));
  }
  f32(v: number): void {
    this.fixed(4, (b) => b.writeFloatLE(v));
  }
  u64(v: number): void {
    this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(v)));
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(): void {
    const rest = this.length % ALIGN;
    if (rest !== 0) this.push(Buffer.alloc(ALIGN - rest));
  }
  concat(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** One value of a scalar type (a metadata value, or an element of an array value). */
function writeScalar(out: Bytes, kind: number, x: number | string): void {
  if (kind === Kind.STRING) out.str(x as string);
  else if (kind === Kind.U32) out.u32(x as number);
  else if (kind === Kind.I32) out.i32(x as number);
  else out.f32(x as number);
}

function writeValue(out: Bytes, v: Value): void {
  out.u32(v.kind);
  if ('of' in v) {
    out.u32(v.of);
    out.u64(v.value.length);
    for (const x of v.value) writeScalar(out, v.of, x);
  } else writeScalar(out, v.kind, v.value);
}

/** ChatML, as Jinja: what the chat wrapper of a real model is resolved from. */
const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Writes the model to `file`. `reply` lists the pieces the model answers with, in order (`▁` for a
 * space). Returns the vocabulary size.
 */
export function writeTinyGguf(file: string, reply: readonly string[]): number {
  if (new Set(reply).size !== reply.length) throw new Error('tiny-gguf: reply pieces must be distinct');
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types = [2, 3, 3, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  if (!reply.includes('▁')) {
    tokens.push('▁'); // a space, as the tokenizer writes it: text then comes back as it went in
    types.push(1);
  }
  const first = tokens.length;
  for (const piece of reply) {
    tokens.push(piece);
    types.push(1);
  }
  const vocab = tokens.length;
  const imEnd = 4;
  const embd = Math.ceil(vocab / 32) * 32; // one-hot embeddings need a dimension per token
  const heads = 4;
  const ff = 32;
  const next = (t: number) =>
    t >= first && t < first + reply.length ? (t + 1 < first + reply.length ? t + 1 : imEnd) : first;

  const kv: [string, Value][] = [
    ['general.architecture', { kind: Kind.STRING, value: 'llama' }],
    ['general.name', { kind: Kind.STRING, value: 'funnel-tiny-test' }],
    ['llama.context_length', { kind: Kind.U32, value: 8192 }],
    ['llama.embedding_length', { kind: Kind.U32, value: embd }],
    ['llama.block_count', { kind: Kind.U32, value: 1 }],
    ['llama.feed_forward_length', { kind: Kind.U32, value: ff }],
    ['llama.attention.head_count', { kind: Kind.U32, value: heads }],
    ['llama.attention.head_count_kv', { kind: Kind.U32, value: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { kind: Kind.F32, value: 1e-5 }],
    ['llama.rope.dimension_count', { kind: Kind.U32, value: embd / heads }],
    ['tokenizer.ggml.model', { kind: Kind.STRING, value: 'llama' }],
    ['tokenizer.ggml.tokens', { kind: Kind.ARRAY, of: Kind.STRING, value: tokens }],
    ['tokenizer.ggml.scores', { kind: Kind.ARRAY, of: Kind.F32, value: tokens.map((_, i) => -i) }],
    ['tokenizer.ggml.token_type', { kind: Kind.ARRAY, of: Kind.I32, value: types }],
    ['tokenizer.ggml.unknown_token_id', { kind: Kind.U32, value: 0 }],
    ['tokenizer.ggml.bos_token_id', { kind: Kind.U32, value: 1 }],
    ['tokenizer.ggml.eos_token_id', { kind: Kind.U32, value: imEnd }],
    ['tokenizer.chat_template', { kind: Kind.STRING, value: CHATML_TEMPLATE }],
  ];

  // Tensors, with GGUF's dimension order (the first is the length of a row).
  const tensors: { name: string; dims: number[]; fill?: (data: Float32Array) => void }[] = [
    {
      name: 'token_embd.weight',
      dims: [embd, vocab],
      fill: (d) => {
        for (let t = 0; t < vocab; t++) d[t * embd + t] = 1;
      },
    },
    { name: 'output_norm.weight', dims: [embd], fill: (d) => d.fill(1) },
    {
      name: 'output.weight',
      dims: [embd, vocab],
      fill: (d) => {
        for (let t = 0; t < vocab; t++) d[next(t) * embd + t] = 1;
      },
    },
    { name: 'blk.0.attn_norm.weight', dims: [embd], fill: (d) => d.fill(1) },
    { name: 'blk.0.attn_q.weight', dims: [embd, embd] },
    { name: 'blk.0.attn_k.weight', dims: [embd, embd] },
    { name: 'blk.0.attn_v.weight', dims: [embd, embd] },
    { name: 'blk.0.attn_output.weight', dims: [embd, embd] },
    { name: 'blk.0.ffn_norm.weight', dims: [embd], fill: (d) => d.fill(1) },
    { name: 'blk.0.ffn_gate.weight', dims: [embd, ff] },
    { name: 'blk.0.ffn_up.weight', dims: [embd, ff] },
    { name: 'blk.0.ffn_down.weight', dims: [ff, embd] },
  ];

  const out = new Bytes();
  out.push(Buffer.from('GGUF', 'latin1'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(kv.length);
  for (const [key, value] of kv) {
    out.str(key);
    writeValue(out, value);
  }
  const data = new Bytes();
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(0); // GGML_TYPE_F32
    out.u64(data.length);
    const values = new Float32Array(t.dims.reduce((a, b) => a * b, 1));
    t.fill?.(values);
    data.push(Buffer.from(values.buffer));
    data.pad();
  }
  out.pad();
  writeFileSync(file, Buffer.concat([out.concat(), data.concat()]));
  return vocab;
}
