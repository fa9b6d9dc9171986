/**
 * @module funnel/neural/testing/tiny-onnx
 * @internal Writes tiny model folders in the layout transformers.js loads (`config.json`,
 * `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx`), with a BERT WordPiece tokenizer
 * over a given word list and an ONNX graph encoded here by hand (protobuf wire format), so the local
 * ONNX stages are tested on real inference by onnxruntime without downloading a model:
 * - `rerank`: a "cross-encoder" whose logit for a (query, passage) pair is the sum of a weight per
 *   token over the pair (Gather, masked, ReduceSum): a passage scores by its weighted words.
 * - `embed`: an encoder whose hidden state of a token is the one-hot vector of its word (special
 *   tokens zero), so mean pooling gives a bag of words and cosine is word overlap.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

/** Protobuf wire format, as much as ONNX needs. */
class Proto {
  private readonly parts: Buffer[] = [];

  private varint(v: number | bigint): void {
    let n = BigInt(v);
    if (n < 0n) n += 1n << 64n;
    const bytes: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n !== 0n) b |= 0x80;
      bytes.push(b);
    } while (n !== 0n);
    this.parts.push(Buffer.from(bytes));
  }

  int(field: number, v: number): this {
    this.varint(field << 3);
    this.varint(v);
    return this;
  }

  bytes(field: number, b: Buffer): this {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  str(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  msg(field: number, m: Proto): this {
    return this.bytes(field, m.done());
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, dims: number[], type: number, data: Buffer): Proto {
  const t = new Proto();
  for (const d of dims) t.int(1, d);
  return t.int(2, type).str(8, name).bytes(9, data);
}

function floats(values: ArrayLike<number>): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}

function int64s(values: number[]): Buffer {
  return Buffer.from(BigInt64Array.from(values.map(BigInt)).buffer);
}

/** A graph input or output: a tensor of `type` with named (symbolic) or fixed dimensions. */
function valueInfo(name: string, type: number, dims: (string | number)[]): Proto {
  const shape = new Proto();
  for (const d of dims) {
    const dim = new Proto();
    if (typeof d === 'string') dim.str(2, d);
    else dim.int(1, d);
    shape.msg(1, dim);
  }
  const tensorType = new Proto().int(1, type).msg(2, shape);
  return new Proto().str(1, name).msg(2, new Proto().msg(1, tensorType));
}

function node(op: string, inputs: string[], outputs: string[], attributes: Proto[] = []): Proto {
  const n = new Proto();
  for (const i of inputs) n.str(1, i);
  for (const o of outputs) n.str(2, o);
  n.str(3, `${op}_${outputs[0]}`).str(4, op);
  for (const a of attributes) n.msg(5, a);
  return n;
}

/** An INT attribute (AttributeProto type 2). */
function intAttribute(name: string, v: number): Proto {
  return new Proto().str(1, name).int(3, v).int(20, 2);
}

function model(graph: Proto): Buffer {
  return new Proto()
    .int(1, 8) // ir_version
    .str(2, 'funnel-tiny-onnx')
    .msg(7, graph)
    .msg(8, new Proto().str(1, '').int(2, 13))
    .done();
}

const BATCH_SEQ = ['batch', 'sequence'];

function inputs(graph: Proto): void {
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids'])
    graph.msg(11, valueInfo(name, INT64, BATCH_SEQ));
}

/** Sum over the unmasked tokens of `weights[token]`: the logit of a one-label classifier. */
function rerankGraph(weights: number[]): Proto {
  const g = new Proto();
  g.msg(1, node('Gather', ['weights', 'input_ids'], ['gathered']));
  g.msg(1, node('Cast', ['attention_mask'], ['mask'], [intAttribute('to', FLOAT)]));
  g.msg(1, node('Unsqueeze', ['mask', 'axis2'], ['mask3']));
  g.msg(1, node('Mul', ['gathered', 'mask3'], ['masked']));
  g.msg(1, node('ReduceSum', ['masked', 'axis1'], ['logits'], [intAttribute('keepdims', 0)]));
  g.str(2, 'tiny-rerank');
  g.msg(5, tensor('weights', [weights.length, 1], FLOAT, floats(weights)));
  g.msg(5, tensor('axis1', [1], INT64, int64s([1])));
  g.msg(5, tensor('axis2', [1], INT64, int64s([2])));
  inputs(g);
  g.msg(12, valueInfo('logits', FLOAT, ['batch', 1]));
  return g;
}

/** Each token's hidden state is the row of `table` for it. */
function embedGraph(table: Float32Array, dims: number): Proto {
  const g = new Proto();
  g.msg(1, node('Gather', ['table', 'input_ids'], ['last_hidden_state']));
  g.str(2, 'tiny-embed');
  g.msg(5, tensor('table', [table.length / dims, dims], FLOAT, floats(table)));
  inputs(g);
  g.msg(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', dims]));
  return g;
}

function tokenizerJson(vocab: string[]): unknown {
  const special = (id: string, type: number) => ({ SpecialToken: { id, type_id: type } });
  const seq = (id: string, type: number) => ({ Sequence: { id, type_id: type } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((w, i) => [w, i])),
    },
  };
}

function writeFolder(dir: string, vocab: string[], config: unknown, onnx: Buffer): void {
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
    }),
  );
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), onnx);
}

/**
 * A cross-encoder folder: the words of `weights` (lower case) are its vocabulary, and a pair's
 * logit is the sum of its tokens' weights (other words are `[UNK]`, weight 0).
 */
export function writeTinyReranker(dir: string, weights: Record<string, number>): void {
  const vocab = [...SPECIALS, ...Object.keys(weights)];
  const w = vocab.map((t) => weights[t] ?? 0);
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    id2label: { 0: 'LABEL_0' },
    label2id: { LABEL_0: 0 },
  };
  writeFolder(dir, vocab, config, model(rerankGraph(w)));
}

/** An encoder folder over `words` (lower case): a token's hidden state is its word's one-hot vector. */
export function writeTinyEmbedder(dir: string, words: string[]): void {
  const vocab = [...SPECIALS, ...words];
  const dims = words.length;
  const table = new Float32Array(vocab.length * dims);
  words.forEach((_, k) => {
    table[(SPECIALS.length + k) * dims + k] = 1;
  });
  writeFolder(
    dir,
    vocab,
    { model_type: 'bert', architectures: ['BertModel'] },
    model(embedGraph(table, dims)),
  );
}
