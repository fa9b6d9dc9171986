;; Dot products of one int8 vector with each of n int8 vectors, for the word-vector neighbour
;; search (expand/embeddings). Exact: i8 x i8 products summed in i32, as the JS loop sums them.
;; Memory (imported): the query at $q, the n vectors of $dims bytes each from $v, row after row,
;; and n i32 results written from $out (4-byte aligned). Sixteen bytes at a time with SIMD
;; (sign-extended to i16, multiplied and summed pairwise to i32), the rest byte by byte.
(module
  (import "env" "memory" (memory 1))
  (func (export "dots") (param $q i32) (param $v i32) (param $n i32) (param $dims i32) (param $out i32)
    (local $r i32) (local $d i32) (local $row i32) (local $wide i32)
    (local $acc v128) (local $a v128) (local $b v128) (local $sum i32)
    ;; the part of a vector taken 16 bytes at a time
    (local.set $wide (i32.and (local.get $dims) (i32.const -16)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (block $simd_done
          (loop $simd
            (br_if $simd_done (i32.ge_u (local.get $d) (local.get $wide)))
            (local.set $a (v128.load (i32.add (local.get $q) (local.get $d))))
            (local.set $b (v128.load (i32.add (local.get $row) (i32.add (local.get $v) (local.get $d)))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $a)) (i16x8.extend_low_i8x16_s (local.get $b)))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $a)) (i16x8.extend_high_i8x16_s (local.get $b)))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $simd)))
        (local.set $sum (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
          (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $d) (local.get $dims)))
            (local.set $sum (i32.add (local.get $sum)
              (i32.mul (i32.load8_s (i32.add (local.get $q) (local.get $d)))
                       (i32.load8_s (i32.add (local.get $row) (i32.add (local.get $v) (local.get $d)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $tail)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $sum))
        (local.set $row (i32.add (local.get $row) (local.get $dims)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))))
