;; Keywarden's scan prefilter: finds the places in a buffer where a key might start, 16 bytes at a
;; time. Each literal a key can begin with (a service prefix such as "ghp_", or the first characters
;; of a key the vault holds) is represented by a 3-byte window; the windows are spread over 8 buckets.
;; For every position, each byte of the window is looked up by its low and its high nibble in two
;; 16-entry tables per window position (the "Teddy" technique); a position whose three lookups share
;; a bucket bit is a candidate, confirmed byte by byte in JavaScript.
;;
;; Memory: tables at 0..95 (lo0 hi0 lo1 hi1 lo2 hi2), candidates written from `out` as
;; (position i32, lane mask i32) pairs; the input must be followed by 32 readable bytes.
(module
  (memory (export "memory") 2)
  (global $resume (export "resume") (mut i32) (i32.const 0))
  (func (export "scan") (param $i i32) (param $end i32) (param $out i32) (param $max i32) (result i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $nib v128) (local $v v128) (local $m v128) (local $n i32)
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $lo2 (v128.load (i32.const 64)))
    (local.set $hi2 (v128.load (i32.const 80)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $m (v128.and
          (i8x16.relaxed_swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nib)))
          (i8x16.relaxed_swizzle (local.get $hi0) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nib)))))
        (local.set $v (v128.load offset=1 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.relaxed_swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $nib)))
          (i8x16.relaxed_swizzle (local.get $hi1) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nib))))))
        (local.set $v (v128.load offset=2 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.relaxed_swizzle (local.get $lo2) (v128.and (local.get $v) (local.get $nib)))
          (i8x16.relaxed_swizzle (local.get $hi2) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nib))))))
        (if (v128.any_true (local.get $m))
          (then
            (i32.store (local.get $out) (local.get $i))
            (i32.store offset=4 (local.get $out) (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0))))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (if (i32.ge_u (local.get $n) (local.get $max))
              (then
                (global.set $resume (i32.add (local.get $i) (i32.const 16)))
                (return (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (global.set $resume (local.get $i))
    (local.get $n))
)
