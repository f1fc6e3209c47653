;; Histogram kernels of the booster (histogram.ts) in WebAssembly with 128-bit SIMD.
;; Every address is a byte offset into the one shared memory the trainer and its helper threads use
;; (hist-kernel.ts): the 16-bit bin index (row-major and column-major), the node rows (i32), their float32
;; gradient pairs, and the float64 histograms of interleaved (Σg, Σh) pairs. A cell adds the row's pair
;; (g, h), promoted to float64, to its slot with one f64x2.add: the same two IEEE additions as the
;; JavaScript kernels, in the same row order, so the sums are the same bit for bit. Rows with g = h = 0
;; (left out by subsampling) are skipped, as in histogram.ts.
;; Assembled by scripts/build-wasm.mjs into hist-kernel-wasm.ts (test/models/gbdt/hist-kernel.test.ts
;; checks the committed bytes equal this text's).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; The rows [begin, end) of the node rows, bins of columns [c0, c1) from the row-major index:
  ;; the bytes at bins + 2·(row·nCols + c), four columns per step.
  (func $byRow (export "byRow")
    (param $bins i32) (param $nCols i32) (param $c0 i32) (param $c1 i32)
    (param $rows i32) (param $grad i32) (param $hess i32) (param $begin i32) (param $end i32) (param $hist i32)
    (local $k i32) (local $g f64) (local $h f64) (local $pair v128)
    (local $i i32) (local $end4 i32) (local $last i32) (local $s i32)
    (local.set $k (local.get $begin))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_s (local.get $k) (local.get $end)))
        (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $h (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $k) (i32.const 2))))))
        (if (i32.eqz (i32.and (f64.eq (local.get $g) (f64.const 0)) (f64.eq (local.get $h) (f64.const 0))))
          (then
            (local.set $pair (f64x2.replace_lane 1 (f64x2.splat (local.get $g)) (local.get $h)))
            (local.set $i (i32.add (local.get $bins)
              (i32.shl
                (i32.add (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (local.get $nCols)) (local.get $c0))
                (i32.const 1))))
            (local.set $end4 (i32.add (local.get $i) (i32.shl (i32.and (i32.sub (local.get $c1) (local.get $c0)) (i32.const -4)) (i32.const 1))))
            (local.set $last (i32.add (local.get $i) (i32.shl (i32.sub (local.get $c1) (local.get $c0)) (i32.const 1))))
            (block $quadsDone
              (loop $quads
                (br_if $quadsDone (i32.ge_u (local.get $i) (local.get $end4)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (local.get $i)) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=2 (local.get $i)) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=4 (local.get $i)) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u offset=6 (local.get $i)) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $quads)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $i) (local.get $last)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (local.get $i)) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $tail)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $rowLoop))))

  ;; byRow for rows far apart (histogram.ts accumulateScattered): batches of 32 rows, each batch's first and
  ;; last bins touched before the previous batch is added, so their cache misses overlap. Returns the
  ;; touched bins or-ed together (so the loads stay).
  (func $scattered (export "scattered")
    (param $bins i32) (param $nCols i32) (param $c0 i32) (param $c1 i32)
    (param $rows i32) (param $grad i32) (param $hess i32) (param $begin i32) (param $end i32) (param $hist i32)
    (result i32)
    (local $sink i32) (local $k0 i32) (local $k1 i32)
    (local.set $sink (call $touch (local.get $bins) (local.get $nCols) (local.get $c0) (local.get $c1) (local.get $rows)
      (local.get $begin) (call $min (local.get $end) (i32.add (local.get $begin) (i32.const 32)))))
    (local.set $k0 (local.get $begin))
    (block $done
      (loop $batches
        (br_if $done (i32.ge_s (local.get $k0) (local.get $end)))
        (local.set $k1 (call $min (local.get $end) (i32.add (local.get $k0) (i32.const 32))))
        (local.set $sink (i32.or (local.get $sink)
          (call $touch (local.get $bins) (local.get $nCols) (local.get $c0) (local.get $c1) (local.get $rows)
            (local.get $k1) (call $min (local.get $end) (i32.add (local.get $k1) (i32.const 32))))))
        (call $byRow (local.get $bins) (local.get $nCols) (local.get $c0) (local.get $c1) (local.get $rows)
          (local.get $grad) (local.get $hess) (local.get $k0) (local.get $k1) (local.get $hist))
        (local.set $k0 (local.get $k1))
        (br $batches)))
    (local.get $sink))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))

  ;; Loads the first and last bin of columns [c0, c1) of the rows at positions [k, stop); returns them or-ed.
  (func $touch (param $bins i32) (param $nCols i32) (param $c0 i32) (param $c1 i32) (param $rows i32) (param $k i32) (param $stop i32)
    (result i32)
    (local $sink i32) (local $a i32) (local $lastOff i32)
    (local.set $lastOff (i32.shl (i32.sub (i32.sub (local.get $c1) (local.get $c0)) (i32.const 1)) (i32.const 1)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_s (local.get $k) (local.get $stop)))
        (local.set $a (i32.add (local.get $bins)
          (i32.shl
            (i32.add (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (local.get $nCols)) (local.get $c0))
            (i32.const 1))))
        (local.set $sink (i32.or (local.get $sink)
          (i32.or (i32.load16_u (local.get $a)) (i32.load16_u (i32.add (local.get $a) (local.get $lastOff))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $rowLoop)))
    (local.get $sink))

  ;; The rows [begin, end) of the node rows, bins of columns [c0, c1) from the column-major index (column f
  ;; at byCol + 2·f·nRows): four columns per pass over the rows (their slots are disjoint), then one.
  (func $byColumn (export "byColumn")
    (param $byCol i32) (param $nRows i32) (param $c0 i32) (param $c1 i32)
    (param $rows i32) (param $grad i32) (param $hess i32) (param $begin i32) (param $end i32) (param $hist i32)
    (local $f i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $stride i32)
    (local $k i32) (local $g f64) (local $h f64) (local $pair v128) (local $r i32) (local $s i32)
    (local.set $stride (i32.shl (local.get $nRows) (i32.const 1)))
    (local.set $f (local.get $c0))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.ge_s (i32.add (local.get $f) (i32.const 3)) (local.get $c1)))
        (local.set $o0 (i32.add (local.get $byCol) (i32.mul (local.get $f) (local.get $stride))))
        (local.set $o1 (i32.add (local.get $o0) (local.get $stride)))
        (local.set $o2 (i32.add (local.get $o1) (local.get $stride)))
        (local.set $o3 (i32.add (local.get $o2) (local.get $stride)))
        (local.set $k (local.get $begin))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $end)))
            (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $h (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $k) (i32.const 2))))))
            (if (i32.eqz (i32.and (f64.eq (local.get $g) (f64.const 0)) (f64.eq (local.get $h) (f64.const 0))))
              (then
                (local.set $pair (f64x2.replace_lane 1 (f64x2.splat (local.get $g)) (local.get $h)))
                (local.set $r (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 1)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (i32.add (local.get $o0) (local.get $r))) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (i32.add (local.get $o1) (local.get $r))) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (i32.add (local.get $o2) (local.get $r))) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (i32.add (local.get $o3) (local.get $r))) (i32.const 4))))
                (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $pair)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $rowLoop)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $quads)))
    (block $colsDone
      (loop $cols
        (br_if $colsDone (i32.ge_s (local.get $f) (local.get $c1)))
        (local.set $o0 (i32.add (local.get $byCol) (i32.mul (local.get $f) (local.get $stride))))
        (local.set $k (local.get $begin))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $end)))
            (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $grad) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $h (f64.promote_f32 (f32.load (i32.add (local.get $hess) (i32.shl (local.get $k) (i32.const 2))))))
            (if (i32.eqz (i32.and (f64.eq (local.get $g) (f64.const 0)) (f64.eq (local.get $h) (f64.const 0))))
              (then
                (local.set $r (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 1)))
                (local.set $s (i32.add (local.get $hist) (i32.shl (i32.load16_u (i32.add (local.get $o0) (local.get $r))) (i32.const 4))))
                (v128.store (local.get $s)
                  (f64x2.add (v128.load (local.get $s)) (f64x2.replace_lane 1 (f64x2.splat (local.get $g)) (local.get $h))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $rowLoop)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $cols))))

  ;; The stable partition of the node rows [begin, end) by one split (row-share.ts partitionPart): a row goes left
  ;; when its slot in the column-major index (column at `column`, 16-bit slots by row id) is at most
  ;; splitSlot, or is missSlot and defLeft is 1. Left rows are packed in place from begin, right rows written
  ;; to the scratch arrays from begin; every row is written to both sides and only its side's cursor moves
  ;; (branch-free). The gradient pairs move as their 32-bit patterns. Returns the number of left rows.
  (func $partition (export "partition")
    (param $column i32) (param $rows i32) (param $grad i32) (param $hess i32)
    (param $sRows i32) (param $sGrad i32) (param $sHess i32)
    (param $begin i32) (param $end i32) (param $splitSlot i32) (param $missSlot i32) (param $defLeft i32)
    (result i32)
    (local $k i32) (local $l i32) (local $r i32) (local $row i32) (local $g i32) (local $h i32)
    (local $b i32) (local $le i32) (local $miss i32) (local $left i32) (local $at i32)
    (local.set $k (i32.shl (local.get $begin) (i32.const 2)))
    (local.set $l (local.get $k))
    (local.set $r (local.get $k))
    (local.set $end (i32.shl (local.get $end) (i32.const 2)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_s (local.get $k) (local.get $end)))
        (local.set $row (i32.load (i32.add (local.get $rows) (local.get $k))))
        (local.set $g (i32.load (i32.add (local.get $grad) (local.get $k))))
        (local.set $h (i32.load (i32.add (local.get $hess) (local.get $k))))
        (local.set $b (i32.load16_u (i32.add (local.get $column) (i32.shl (local.get $row) (i32.const 1)))))
        (local.set $le (i32.xor (i32.shr_u (i32.sub (local.get $splitSlot) (local.get $b)) (i32.const 31)) (i32.const 1)))
        (local.set $miss (i32.shr_u (i32.sub (i32.xor (local.get $b) (local.get $missSlot)) (i32.const 1)) (i32.const 31)))
        (local.set $left (i32.xor (local.get $le) (i32.and (local.get $miss) (i32.xor (local.get $le) (local.get $defLeft)))))
        (i32.store (i32.add (local.get $rows) (local.get $l)) (local.get $row))
        (i32.store (i32.add (local.get $grad) (local.get $l)) (local.get $g))
        (i32.store (i32.add (local.get $hess) (local.get $l)) (local.get $h))
        (i32.store (i32.add (local.get $sRows) (local.get $r)) (local.get $row))
        (i32.store (i32.add (local.get $sGrad) (local.get $r)) (local.get $g))
        (i32.store (i32.add (local.get $sHess) (local.get $r)) (local.get $h))
        (local.set $at (i32.shl (local.get $left) (i32.const 2)))
        (local.set $l (i32.add (local.get $l) (local.get $at)))
        (local.set $r (i32.add (local.get $r) (i32.xor (local.get $at) (i32.const 4))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $rowLoop)))
    (i32.shr_s (i32.sub (local.get $l) (i32.shl (local.get $begin) (i32.const 2))) (i32.const 2)))

  ;; The split search's scan of one feature (split-eval.ts bestSplit, α = 0 and no max_delta_step): bins
  ;; [0, nb) of the histogram from slot slot0, forward (missing values right) and, with `withMissing`, backward
  ;; (missing left). Each candidate's loss is f32(f32(A + B) − rootGain) with A = f32(g²/(h + λ)) (0 when
  ;; h ≤ 0): the two divisions in one f64x2.div, each lane rounded to float32 as Math.fround does. Returns
  ;; the best loss (0: none); the bin (−2: none) and direction are read with scanBin / scanDefaultLeft
  ;; (globals: one per thread's instance).
  (global $bin (mut i32) (i32.const -2))
  (global $defLeft (mut i32) (i32.const 0))
  (func (export "scanBin") (result i32) (global.get $bin))
  (func (export "scanDefaultLeft") (result i32) (global.get $defLeft))
  (func $scan (export "scan")
    (param $hist i32) (param $slot0 i32) (param $nb i32) (param $G f64) (param $H f64) (param $mcw f64) (param $lam f64)
    (param $root f64) (param $withMissing i32)
    (result f64)
    (local $b i32) (local $i i32) (local $acc v128) (local $lamv v128) (local $q v128) (local $v v128)
    (local $gl f64) (local $hl f64) (local $gr f64) (local $hr f64) (local $loss f64) (local $fLoss f64)
    (global.set $bin (i32.const -2))
    (global.set $defLeft (i32.const 0))
    (local.set $lamv (f64x2.splat (local.get $lam)))
    (local.set $i (i32.add (local.get $hist) (i32.shl (local.get $slot0) (i32.const 4))))
    (block $fwdDone
      (loop $fwd
        (br_if $fwdDone (i32.ge_s (local.get $b) (local.get $nb)))
        (local.set $acc (f64x2.add (local.get $acc) (v128.load (local.get $i))))
        (local.set $gl (f64x2.extract_lane 0 (local.get $acc)))
        (local.set $hl (f64x2.extract_lane 1 (local.get $acc)))
        (block $next
          (br_if $next (f64.lt (local.get $hl) (local.get $mcw)))
          (local.set $hr (f64.sub (local.get $H) (local.get $hl)))
          (br_if $next (f64.lt (local.get $hr) (local.get $mcw)))
          (local.set $gr (f64.sub (local.get $G) (local.get $gl)))
          (local.set $q (f64x2.div
              (f64x2.mul (local.tee $v (f64x2.replace_lane 1 (f64x2.splat (local.get $gl)) (local.get $gr))) (local.get $v))
              (f64x2.add (f64x2.replace_lane 1 (f64x2.splat (local.get $hl)) (local.get $hr)) (local.get $lamv))))
            (local.set $q (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $q))))
            (local.set $loss (f64.promote_f32 (f32.demote_f64 (f64.sub
              (f64.promote_f32 (f32.demote_f64 (f64.add
                (select (f64.const 0) (f64x2.extract_lane 0 (local.get $q)) (f64.le (local.get $hl) (f64.const 0)))
                (select (f64.const 0) (f64x2.extract_lane 1 (local.get $q)) (f64.le (local.get $hr) (f64.const 0))))))
              (local.get $root)))))
          (if (f64.gt (local.get $loss) (local.get $fLoss))
            (then (local.set $fLoss (local.get $loss)) (global.set $bin (local.get $b)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $fwd)))
    (if (local.get $withMissing)
      (then
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $b (i32.sub (local.get $nb) (i32.const 1)))
        (local.set $i (i32.add (local.get $hist) (i32.shl (i32.add (local.get $slot0) (local.get $b)) (i32.const 4))))
        (block $bwdDone
          (loop $bwd
            (br_if $bwdDone (i32.lt_s (local.get $b) (i32.const 0)))
            (local.set $acc (f64x2.add (local.get $acc) (v128.load (local.get $i))))
            (local.set $gr (f64x2.extract_lane 0 (local.get $acc)))
            (local.set $hr (f64x2.extract_lane 1 (local.get $acc)))
            (block $next
              (br_if $next (f64.lt (local.get $hr) (local.get $mcw)))
              (local.set $hl (f64.sub (local.get $H) (local.get $hr)))
              (br_if $next (f64.lt (local.get $hl) (local.get $mcw)))
              (local.set $gl (f64.sub (local.get $G) (local.get $gr)))
              (local.set $q (f64x2.div
              (f64x2.mul (local.tee $v (f64x2.replace_lane 1 (f64x2.splat (local.get $gr)) (local.get $gl))) (local.get $v))
              (f64x2.add (f64x2.replace_lane 1 (f64x2.splat (local.get $hr)) (local.get $hl)) (local.get $lamv))))
            (local.set $q (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $q))))
            (local.set $loss (f64.promote_f32 (f32.demote_f64 (f64.sub
              (f64.promote_f32 (f32.demote_f64 (f64.add
                (select (f64.const 0) (f64x2.extract_lane 0 (local.get $q)) (f64.le (local.get $hr) (f64.const 0)))
                (select (f64.const 0) (f64x2.extract_lane 1 (local.get $q)) (f64.le (local.get $hl) (f64.const 0))))))
              (local.get $root)))))
              (if (f64.gt (local.get $loss) (local.get $fLoss))
                (then
                  (local.set $fLoss (local.get $loss))
                  (global.set $bin (i32.sub (local.get $b) (i32.const 1)))
                  (global.set $defLeft (i32.const 1)))))
            (local.set $b (i32.sub (local.get $b) (i32.const 1)))
            (local.set $i (i32.sub (local.get $i) (i32.const 16)))
            (br $bwd)))))
    (local.get $fLoss))

  ;; parent[i] ← parent[i] − small[i] for the doubles i in [from, to) (an even count: whole pairs).
  (func $subtract (export "subtract") (param $parent i32) (param $small i32) (param $from i32) (param $to i32)
    (local $p i32) (local $q i32) (local $stop i32)
    (local.set $p (i32.add (local.get $parent) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $q (i32.add (local.get $small) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $stop (i32.add (local.get $parent) (i32.shl (local.get $to) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
        (v128.store (local.get $p) (f64x2.sub (v128.load (local.get $p)) (v128.load (local.get $q))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $pairs))))
)
