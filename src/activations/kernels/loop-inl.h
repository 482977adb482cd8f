// The loop every activation kernel runs in, and the contract a kernel meets.
//
// A kernel is a struct constructed from the function's Params, evaluated per vector:
//   double lanes (every kernel; float arrays fall back to them, promoted and rounded once):
//     V Value(V x), V Grad(V x)           f and f', within a few ulp of the double reference
//     V GradFromOutput(V y)               f' from y = f(x): exactly when the list (kernels.hpp)
//                                         marks the function Y
//     M Scalar(V x)            [kScalar]        lanes the formula does not cover: recomputed by
//                                               the scalar reference, for both types
//     M ScalarDouble(V x)      [kScalarDouble]  lanes where it is less accurate than the
//                                               reference: recomputed for double arrays only
//     M ScalarDoubleGrad(V x)  [kScalarDoubleGrad]  the same for f' where it differs from f's
//     V ValueForDouble(V x, V value)  [kValueForDouble]  f for double arrays from Value's
//                                               result where Value, within the float bounds,
//                                               is not within double's: a vector formula
//                                               instead of the reference
//   float lanes (where the float formulation is swept over all 2^32 inputs within the bounds):
//     bool FloatNative() + template <class Exp> VF ValueF(VF)   [kFloat]   f, when FloatNative()
//                                                  for these parameters; Exp is NormalRangeExp
//                                                  (fast path) or AnyRangeExp (float_math-inl.h)
//     template <class Exp> VF GradF(VF)            [kFloatGrad]  f'
//     MF FastRangeF(VF)          [kFastRange]  where the NormalRangeExp path is valid
//     kValueHandlesSpecialsF = true [kHandlesSpecials]  ValueF gives the documented result at
//                                                  infinities and NaN in every lane
//     bool ZerosExactF()         [kZerosExact]  ValueF's zeros already are the reference's
//     MF TableRangeF(VF) + VF TableValueF(VF)  [kTable]      f from tables where every lane is
//                                                  in the range (AVX-512 only)
//     VF TableGradF(VF)          [kTableGrad]  f' from tables in the same range
//     VF GradFromOutputF(VF y)   [kFloatFromOutput]  f' from a float y, within 1 ulp (exact
//                                                  masks and constants, or one fused rounding)
//     int TableFormF() + TableValueOfFormF<form>/TableGradOfFormF<form>  [kTableForms]  a table
//                                                  per form of a parameter (gelu's erf and tanh)
//     MF TailRangeF(VF) + VF TailValueF(VF)  [kTail]  f beyond the tables (|x| >= 8) in a vector
//                                                  whose lanes all lie in TailRangeF: a short
//                                                  series where the general formula needs quotients
//     VF TailGradF(VF)           [kTailGrad]   f' there
//     MF SettledRangeF(VF) + VF SettledValueF(VF) + VF SettledGradF(VF)  [kSettled]  finite
//                                                  lanes beyond the table where f and f' have
//                                                  settled to what rounds without arithmetic
//                                                  (gelu: x and 1 from 8 on, -0 far below),
//                                                  as the tails give them
// Every optional hook a kernel has is named in its `static constexpr Hooks kHooks`, and the loop
// checks the two agree (CheckHooks): a misspelt or missing hook is a compile error, never a
// silent fall to the slower path.
//
// Results: NaN in gives NaN out; infinite inputs give the reference's limits; f(+-0) gives the
// reference's signed zeros (Zeros, kernels.hpp). No lane depends on its neighbours, and the
// loops never read or write past n.

#if defined(SIGMA_KERNELS_LOOP_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_LOOP_INL_H_
#undef SIGMA_KERNELS_LOOP_INL_H_
#else
#define SIGMA_KERNELS_LOOP_INL_H_
#endif

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "activations/kernels/common-inl.h"
#include "activations/kernels/half-inl.h"
#include "activations/kernels/kernels.hpp"
#include "hwy/cache_control.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The optional hooks of the contract above, as bits of a kernel's kHooks.
using Hooks = unsigned;
inline constexpr Hooks kScalar = 1, kScalarDouble = 2, kFloat = 4, kFloatGrad = 8, kFastRange = 16,
                       kHandlesSpecials = 32, kZerosExact = 64, kTable = 128, kTableGrad = 256,
                       kTableForms = 512, kTail = 1024, kTailGrad = 2048, kSettled = 4096,
                       kFloatFromOutput = 8192, kScalarDoubleGrad = 16384, kValueForDouble = 32768;
// The table hooks exist on AVX-512 only (one permute reads a table of 32).
inline constexpr Hooks kOnAvx3 = HWY_TARGET <= HWY_AVX3 ? ~Hooks{0} : Hooks{0};

template <class K>
concept HasGradFromOutput = requires(const K& k, V v) {
  { k.GradFromOutput(v) } -> std::same_as<V>;
};
template <class K>
concept HasScalarRange = requires(const K& k, V v) {
  { k.Scalar(v) } -> std::same_as<M>;
};
template <class K>
concept HasScalarDoubleRange = requires(const K& k, V v) {
  { k.ScalarDouble(v) } -> std::same_as<M>;
};
template <class K>
concept HasScalarDoubleGradRange = requires(const K& k, V v) {
  { k.ScalarDoubleGrad(v) } -> std::same_as<M>;
};

template <class K>
concept HasValueForDouble = requires(const K& k, V v) {
  { k.ValueForDouble(v, v) } -> std::same_as<V>;
};

template <class K>
HWY_INLINE V Evaluate(const K& kernel, Op op, V a) {
  switch (op) {
    case Op::kForward:
      return kernel.Value(a);
    case Op::kBackwardFromOutput:
      if constexpr (HasGradFromOutput<K>) return kernel.GradFromOutput(a);
      return hn::Set(D(), std::nan(""));  // unreachable: the caller checks the catalog
    case Op::kDerivative:
    case Op::kBackward:
      break;
  }
  return kernel.Grad(a);
}

// f's lanes at a = +-0 replaced by the reference's zeros (kernels.hpp, Zeros), whatever the
// vector formula gave there; for float and double vectors. The loops pass `zeros` by value, read
// once: a load from Function each vector would be repeated after every store, which may alias it.
template <class Vec>
HWY_INLINE Vec ReferenceZeros(Zeros zeros, Vec a, Vec r) {
  const hn::DFromV<Vec> d;
  switch (zeros) {
    case Zeros::kPassThrough:
      return hn::IfThenElse(hn::Eq(a, hn::Zero(d)), a, r);
    case Zeros::kNegated:
      return hn::IfThenElse(hn::Eq(a, hn::Zero(d)), hn::Neg(a), r);
    case Zeros::kAsComputed:
      break;
  }
  return r;
}

// One full vector of doubles: the value, NaN passed through, rare lanes from the reference.
template <class K, bool kForDouble>
HWY_INLINE V Body(const K& kernel, Op op, const Function& function, Zeros zeros, V a, V dy) {
  V r = Evaluate(kernel, op, a);
  if constexpr (kForDouble && HasValueForDouble<K>) {
    if (op == Op::kForward) r = kernel.ValueForDouble(a, r);
  }
  M scalar = hn::IsInf(a);
  if constexpr (HasScalarRange<K>) scalar = hn::Or(scalar, kernel.Scalar(a));
  if constexpr (kForDouble && HasScalarDoubleRange<K>) {
    if (op == Op::kForward) {
      scalar = hn::Or(scalar, kernel.ScalarDouble(a));
    } else if (op != Op::kBackwardFromOutput) {
      if constexpr (HasScalarDoubleGradRange<K>) {
        scalar = hn::Or(scalar, kernel.ScalarDoubleGrad(a));
      } else {
        scalar = hn::Or(scalar, kernel.ScalarDouble(a));
      }
    }
  }
  if (HWY_UNLIKELY(!hn::AllFalse(D(), scalar))) {
    const D d;
    HWY_ALIGN double lanes_a[HWY_MAX_BYTES / sizeof(double)];
    HWY_ALIGN double lanes_r[HWY_MAX_BYTES / sizeof(double)];
    hn::Store(a, d, lanes_a);
    hn::Store(r, d, lanes_r);
    const FunctionInfo& info = function.info;
    const ScalarFn fn = op == Op::kForward              ? info.reference
                        : op == Op::kBackwardFromOutput ? info.reference_from_output
                                                        : info.reference_derivative;
    HWY_ALIGN double flagged[HWY_MAX_BYTES / sizeof(double)];
    hn::Store(hn::VecFromMask(d, scalar), d, flagged);
    for (size_t i = 0; i < hn::Lanes(d); ++i) {
      if (flagged[i] != 0) lanes_r[i] = fn(lanes_a[i], function.params);
    }
    r = hn::Load(d, lanes_r);
  }
  if (op == Op::kBackward || op == Op::kBackwardFromOutput) r = hn::Mul(dy, r);
  if (op == Op::kForward) r = ReferenceZeros(zeros, a, r);
  return hn::IfThenElse(hn::IsNaN(a), a, r);
}

template <class K>
concept HasFloatValue = requires(const K& k, VF v) {
  { k.FloatNative() } -> std::same_as<bool>;
  { k.template ValueF<AnyRangeExp>(v) } -> std::same_as<VF>;
};
template <class K>
concept HasFloatGrad = requires(const K& k, VF v) {
  { k.template GradF<AnyRangeExp>(v) } -> std::same_as<VF>;
};
template <class K>
concept HasFastRangeF = requires(const K& k, VF v) {
  { k.FastRangeF(v) } -> std::same_as<MF>;
};
// Kernels whose float f may already give the reference's signed zeros (for the parameters where
// ZerosExactF() says so), so that their forward needs no zero handling.
template <class K>
concept HasZerosExactF = requires(const K& k) {
  { k.ZerosExactF() } -> std::same_as<bool>;
};

template <class K>
concept HasGradFromOutputF = requires(const K& k, VF v) {
  { k.GradFromOutputF(v) } -> std::same_as<VF>;
};

// r with its lanes where a is infinite taken from the scalar reference fn (its limits).
HWY_INLINE VF ReferenceAtInfinities(ScalarFn fn, const Function& function, VF a, VF r) {
  const DF df;
  if (HWY_LIKELY(hn::AllFalse(df, hn::IsInf(a)))) return r;
  HWY_ALIGN float lanes_a[HWY_MAX_BYTES / sizeof(float)];
  HWY_ALIGN float lanes_r[HWY_MAX_BYTES / sizeof(float)];
  hn::Store(a, df, lanes_a);
  hn::Store(r, df, lanes_r);
  for (size_t i = 0; i < hn::Lanes(df); ++i) {
    if (std::isinf(lanes_a[i])) lanes_r[i] = static_cast<float>(fn(lanes_a[i], function.params));
  }
  return hn::Load(df, lanes_r);
}

// One full vector of floats: f or f' with exponentials from Exp, times dy for the backward, the
// reference's zeros. With AnyRangeExp, infinite lanes come from the reference.
template <Op kOp, class Exp, class K>
HWY_INLINE VF BodyF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  VF r;
  if constexpr (kOp == Op::kForward) {
    r = kernel.template ValueF<Exp>(a);
  } else {
    r = kernel.template GradF<Exp>(a);
  }
  if constexpr (std::is_same_v<Exp, AnyRangeExp>) {
    r = ReferenceAtInfinities(
        kOp == Op::kForward ? function.info.reference : function.info.reference_derivative,
        function, a, r);
  }
  if constexpr (kOp == Op::kBackward) r = hn::Mul(dy, r);
  if constexpr (kOp == Op::kForward) r = ReferenceZeros(zeros, a, r);
  if constexpr (std::is_same_v<Exp, AnyRangeExp>) r = hn::IfThenElse(hn::IsNaN(a), a, r);
  return r;
}

// Kernels with a second fast path for f, from a table: TableValueF(x) where every lane is in
// TableRangeF (no specials there).
template <class K>
concept HasTableF = requires(const K& k, VF v) {
  { k.TableRangeF(v) } -> std::same_as<MF>;
  { k.TableValueF(v) } -> std::same_as<VF>;
};

// Kernels whose float f gives the documented result at infinities and NaN in every lane.
template <class K>
concept ValueHandlesSpecialsF = K::kValueHandlesSpecialsF;

// A vector through the kernel's formula: for a forward that handles the specials itself, its
// fast path at every input; else the fast path when the kernel has one and every lane is in
// its range, and the general path otherwise, with the lanes in the fast range still from the
// fast path (the others zeroed there): the two round differently, and a lane's result must not
// depend on its neighbours (a NaN or a 1e30 beside it had changed sigmoid's and silu's last bits
// in a third of such vectors). Only vectors with a lane beyond the fast range pay for both.
template <Op kOp, class K>
HWY_INLINE VF FormulaF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  if constexpr (kOp == Op::kForward && ValueHandlesSpecialsF<K>) {
    return BodyF<kOp, NormalRangeExp>(kernel, function, zeros, a, dy);
  } else {
    if constexpr (HasFastRangeF<K>) {
      const MF fast = kernel.FastRangeF(a);
      if (HWY_LIKELY(hn::AllTrue(DF(), fast))) {
        return BodyF<kOp, NormalRangeExp>(kernel, function, zeros, a, dy);
      }
      const VF general = BodyF<kOp, AnyRangeExp>(kernel, function, zeros, a, dy);
      if (hn::AllFalse(DF(), fast)) return general;
      const VF near =
          BodyF<kOp, NormalRangeExp>(kernel, function, zeros, hn::IfThenElseZero(fast, a), dy);
      return hn::IfThenElse(fast, near, general);
    }
    return BodyF<kOp, AnyRangeExp>(kernel, function, zeros, a, dy);
  }
}

// Kernels with tails (the contract above): TailValueF(x), TailGradF(x).
template <class K>
concept HasTailF = requires(const K& k, VF v) {
  { k.TailRangeF(v) } -> std::same_as<MF>;
  { k.TailValueF(v) } -> std::same_as<VF>;
};
template <class K>
concept HasTailGradF = requires(const K& k, VF v) {
  { k.TailRangeF(v) } -> std::same_as<MF>;
  { k.TailGradF(v) } -> std::same_as<VF>;
};
template <Op kOp, class K>
constexpr bool kUsesTail = kOp == Op::kForward ? HasTailF<K> : HasTailGradF<K>;
template <class K>
concept HasSettledF = requires(const K& k, VF v) {
  { k.SettledRangeF(v) } -> std::same_as<MF>;
  { k.SettledValueF(v) } -> std::same_as<VF>;
  { k.SettledGradF(v) } -> std::same_as<VF>;
};

// A vector beyond the tables: through the tail where the kernel has one for the op and every lane
// is in its range, else through the formula, with the lanes in the tail's range still from the
// tail (the others zeroed there), so that a lane's result does not depend on its neighbours.
template <Op kOp, class K>
HWY_INLINE VF BeyondTableF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  if constexpr (kUsesTail<kOp, K>) {
    const auto tail = [&](VF x) {
      if constexpr (kOp == Op::kForward) {
        return kernel.TailValueF(x);
      } else {
        const VF slope = kernel.TailGradF(x);
        return kOp == Op::kBackward ? hn::Mul(dy, slope) : slope;
      }
    };
    const MF in_tail = kernel.TailRangeF(a);
    if (HWY_LIKELY(hn::AllTrue(DF(), in_tail))) return tail(a);
    const VF formula = FormulaF<kOp>(kernel, function, zeros, a, dy);
    if (hn::AllFalse(DF(), in_tail)) return formula;
    return hn::IfThenElse(in_tail, tail(hn::IfThenElseZero(in_tail, a)), formula);
  }
  return FormulaF<kOp>(kernel, function, zeros, a, dy);
}

// Kernels with a table for f' too: TableGradF(x) where every lane is in TableRangeF.
template <class K>
concept HasTableGradF = requires(const K& k, VF v) {
  { k.TableRangeF(v) } -> std::same_as<MF>;
  { k.TableGradF(v) } -> std::same_as<VF>;
};
template <Op kOp, class K>
constexpr bool kUsesTable = kOp == Op::kForward ? HasTableF<K> : HasTableGradF<K>;

// The table's result for an op, every lane in the table's range.
template <Op kOp, class K>
HWY_INLINE VF TableF(const K& kernel, Zeros zeros, VF a, VF dy) {
  if constexpr (kOp == Op::kForward) {
    return ReferenceZeros(zeros, a, kernel.TableValueF(a));
  } else {
    const VF slope = kernel.TableGradF(a);
    return kOp == Op::kBackward ? hn::Mul(dy, slope) : slope;
  }
}

// A vector with lanes outside the table's range: those from the formula, the others still from
// the table, so that a lane's result never depends on its neighbours. Out of line, which keeps
// the loops over the table's range compact (inlined, it slowed them).
template <Op kOp, class K>
HWY_NOINLINE VF TableOrFormulaF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy,
                                MF in_table) {
  const VF r = BeyondTableF<kOp>(kernel, function, zeros, a, dy);
  if (hn::AllFalse(DF(), in_table)) return r;
  return hn::IfThenElse(in_table, TableF<kOp>(kernel, zeros, a, dy), r);
}

// A vector through the table where the kernel has one for the op and every lane is in its range
// (checked before the formula's fast range, which is the faster order); else through the formula.
template <Op kOp, class K>
HWY_INLINE VF VectorF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  if constexpr (kUsesTable<kOp, K>) {
    const MF in_table = kernel.TableRangeF(a);
    if (HWY_LIKELY(hn::AllTrue(DF(), in_table))) return TableF<kOp>(kernel, zeros, a, dy);
    return TableOrFormulaF<kOp>(kernel, function, zeros, a, dy, in_table);
  } else {
    return FormulaF<kOp>(kernel, function, zeros, a, dy);
  }
}

// Four vectors through the tail where the kernel has one for the op, else through the formula
// (on its fast path where all four lie in its range): the results in r.
template <Op kOp, class K>
HWY_INLINE void BeyondTableGroupF(const K& kernel, const Function& function, Zeros zeros,
                                  const VF* v, const VF* dy, VF* r) {
  if constexpr (kUsesTail<kOp, K>) {
    HWY_UNROLL(4)
    for (size_t k = 0; k < 4; ++k) r[k] = BeyondTableF<kOp>(kernel, function, zeros, v[k], dy[k]);
  } else {
    const DF df;
    bool all_fast = false;
    if constexpr (kOp == Op::kForward && ValueHandlesSpecialsF<K>) {
      all_fast = true;
    } else if constexpr (HasFastRangeF<K>) {
      all_fast =
          hn::AllTrue(df, hn::And(hn::And(kernel.FastRangeF(v[0]), kernel.FastRangeF(v[1])),
                                  hn::And(kernel.FastRangeF(v[2]), kernel.FastRangeF(v[3]))));
    }
    if (HWY_LIKELY(all_fast)) {
      HWY_UNROLL(4)
      for (size_t k = 0; k < 4; ++k) {
        r[k] = BodyF<kOp, NormalRangeExp>(kernel, function, zeros, v[k], dy[k]);
      }
    } else {
      HWY_UNROLL(4)
      for (size_t k = 0; k < 4; ++k) r[k] = FormulaF<kOp>(kernel, function, zeros, v[k], dy[k]);
    }
  }
}

// Four vectors of which some lane lies beyond the table: each through the tail or the formula,
// its lanes in the table's range from the table (as TableOrFormulaF, lane for lane), the four
// vectors' independent chains overlapping.
template <Op kOp, class K>
HWY_INLINE void MixedGroupF(const K& kernel, const Function& function, Zeros zeros, VF* v,
                            const VF* dy) {
  VF r[4];
  BeyondTableGroupF<kOp>(kernel, function, zeros, v, dy, r);
  HWY_UNROLL(4)
  for (size_t k = 0; k < 4; ++k) {
    const MF in_table = kernel.TableRangeF(v[k]);
    v[k] = hn::AllFalse(DF(), in_table)
               ? r[k]
               : hn::IfThenElse(in_table, TableF<kOp>(kernel, zeros, v[k], dy[k]), r[k]);
  }
}

// Arrays from this size on are written with non-temporal stores (LoopF): far more than the
// 2 MiB of L2 a core has here, and than a thread's share of a large L3.
constexpr size_t kStreamingBytes = size_t{32} << 20;
// How far ahead of the loads those loops prefetch (LoopF says which when).
constexpr size_t kNearPrefetchFloats = 1024;  // 4 KiB, into L1
constexpr size_t kFarPrefetchFloats = 4096;   // 16 KiB, into L2

// The loops' stores: non-temporal where `stream`.
HWY_INLINE void StoreF(VF v, float* p, bool stream) {
  if (stream) {
    hn::Stream(v, DF(), p);
  } else {
    hn::StoreU(v, DF(), p);
  }
}

// From DRAM, the hardware prefetcher alone leaves the loops' loads waiting. Prefetching into L2
// 16 KiB ahead served every kernel's forward best; the backward of the compute-heavy kernels, with
// two inputs, into L1 4 KiB ahead (docs/performance.md).
template <Op kOp, class K>
HWY_INLINE void PrefetchF(const float* p) {
  if constexpr (kOp == Op::kBackward && HasFastRangeF<K>) {
    hwy::Prefetch(p + kNearPrefetchFloats);
  } else {
    __builtin_prefetch(p + kFarPrefetchFloats, 0, 2);
  }
}

// Four vectors per iteration from i while four fit, all loaded before any is stored (out may
// alias a or dy): the rectifiers' backward gains most from it; the transcendental kernels' chains
// bound them. Returns where it stopped. For a kernel with a table for the op, a group whose lanes
// all lie in the table's range takes the table; without kMixed the loop stops at the first group
// that does not (one branch per group: per vector, inputs beyond the table made it unpredictable,
// N(0, 4) putting one in half of all vectors), and the caller continues in MixedGroupsF, the
// out-of-line copy that takes both kinds of group, its constants in registers across groups.
// (The loops over the four vectors are unrolled by pragma: GCC left a loop whose body is a whole
// kernel rolled, which put the four chains one after another.)
template <Op kOp, class K, bool kMixed>
HWY_INLINE size_t GroupsF(const K& kernel, const Function& function, Zeros zeros, const float* a,
                          const float* dy, float* out, size_t i, size_t n, bool stream) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  constexpr bool kWithDy = kOp == Op::kBackward;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    if (stream) {
      HWY_UNROLL(4)
      for (size_t k = 0; k < 4; ++k) {
        PrefetchF<kOp, K>(a + i + k * lanes);
        if constexpr (kWithDy) PrefetchF<kOp, K>(dy + i + k * lanes);
      }
    }
    VF v[4], vdy[4];
    HWY_UNROLL(4)
    for (size_t k = 0; k < 4; ++k) {
      v[k] = hn::LoadU(df, a + i + k * lanes);
      vdy[k] = kWithDy ? hn::LoadU(df, dy + i + k * lanes) : v[k];
    }
    if constexpr (kUsesTable<kOp, K>) {
      const MF in_table = hn::And(hn::And(kernel.TableRangeF(v[0]), kernel.TableRangeF(v[1])),
                                  hn::And(kernel.TableRangeF(v[2]), kernel.TableRangeF(v[3])));
      if (HWY_LIKELY(hn::AllTrue(df, in_table))) {
        HWY_UNROLL(4)
        for (size_t k = 0; k < 4; ++k) v[k] = TableF<kOp>(kernel, zeros, v[k], vdy[k]);
      } else if constexpr (kMixed) {
        MixedGroupF<kOp>(kernel, function, zeros, v, vdy);
      } else {
        return i;
      }
    } else {
      HWY_UNROLL(4)
      for (size_t k = 0; k < 4; ++k) v[k] = VectorF<kOp>(kernel, function, zeros, v[k], vdy[k]);
    }
    HWY_UNROLL(4)
    for (size_t k = 0; k < 4; ++k) StoreF(v[k], out + i + k * lanes, stream);
  }
  return i;
}

#if HWY_TARGET <= HWY_AVX3
// A block of 16 vectors whose lanes are not all in the table's range (the tables exist on AVX-512
// only), where at most 32 lanes lie on one side of it: every vector through the path the others
// need (the table, or the tail or formula beyond it), and those few lanes gathered one by one into
// a run, computed in whole vectors, and written over their places in the output. At N(0, 4) nearly
// every group of 64 floats holds a lane beyond GELU's table, about 12 in a block, and computing
// both paths for every vector cost gelu, softplus and mish half their speed. (Compressing every
// vector into the run and expanding the results back, branch-free, cost more than this on Zen 5,
// as did a branch per vector; a block with more lanes on both sides computes both paths, as
// MixedGroupF does.) Where the kernel's f and f' settle beyond the table (kSettled), the table's
// vectors take the settled lanes' results too, and only the lanes neither in the table nor settled
// are gathered. A lane's result is the same either way: its path depends on its own value.
template <Op kOp, class K>
class PartitionF {
 public:
  static constexpr size_t kLanes = HWY_MAX_BYTES / sizeof(float);
  static constexpr size_t kVectors = 16;

  // The block at a (and dy), the bits of its lanes in the table's range in_table (integers: an
  // array of masks GCC assembled in vector registers); false where it is not for this path. Else
  // the results stored to out, which may alias a or dy (the few lanes are read before the first
  // store, the others in the group they are stored with).
  HWY_INLINE bool Compute(const K& kernel, const Function& function, Zeros zeros,
                          const uint32_t* in_table, const float* a, const float* dy, float* out) {
    uint64_t words[kWords];  // four vectors' bits to a word
    size_t in_count = 0;
    for (size_t w = 0; w < kWords; ++w) {
      words[w] = 0;
      for (size_t k = 0; k < 4; ++k) words[w] |= uint64_t{in_table[4 * w + k]} << (k * kLanes);
      in_count += static_cast<size_t>(__builtin_popcountll(words[w]));
    }
    const bool most_in_table = in_count >= kVectors * kLanes - kMaxFew;
    if constexpr (HasSettledF<K>) {
      if (!most_in_table) {
        return WithSettled(kernel, function, zeros, in_table, a, dy, out);
      }
    }
    if (!most_in_table && in_count > kMaxFew) return false;
    if (most_in_table) {
      for (uint64_t& word : words) word = ~word;
    }
    const size_t few = GatherLanes(words, a, dy);
    const auto table = [&](VF x, VF vdy) { return TableF<kOp>(kernel, zeros, x, vdy); };
    const auto beyond = [&](VF x, VF vdy) {
      return BeyondTableF<kOp>(kernel, function, zeros, x, vdy);
    };
    if (most_in_table) {
      RunThrough(few, beyond);
      for (size_t k = 0; k < kVectors; k += 4) {
        Group(a, dy, out, k, [&](const VF* x, const VF* vdy, VF* r) {
          HWY_UNROLL(4)
          for (size_t j = 0; j < 4; ++j) r[j] = table(x[j], vdy[j]);
        });
      }
    } else {
      RunThrough(few, table);
      for (size_t k = 0; k < kVectors; k += 4) {
        Group(a, dy, out, k, [&](const VF* x, const VF* vdy, VF* r) {
          BeyondTableGroupF<kOp>(kernel, function, zeros, x, vdy, r);
        });
      }
    }
    for (size_t j = 0; j < few; ++j) out[index_[j]] = x_[j];
    return true;
  }

 private:
  static constexpr size_t kWords = kVectors / 4;
  static constexpr size_t kMaxFew = 2 * kLanes;
  // With settled lanes (gelu at N(0, 16): 48% settled, 38% in the table, 14% beyond both, about
  // 36 lanes a block), up to four vectors' worth are gathered.
  static constexpr size_t kMaxFewWithSettled = 4 * kLanes;
  static_assert(4 * kLanes == 64 && kWords == 4, "four vectors' bits make a word");

  // The lanes whose bits are set in `words` gathered into the run (with their indices), padded
  // with zeros (in every kernel's ranges) to a whole vector; returns how many. The j-th lane is
  // found without a branch (a loop over each word's bits mispredicted its exit, four times a
  // block): its word from the counts, its bit by depositing 1 at its rank there.
  HWY_INLINE size_t GatherLanes(const uint64_t* words, const float* a, const float* dy) {
    uint32_t before[kWords];  // lanes in the words before each
    size_t few = 0;
    for (size_t w = 0; w < kWords; ++w) {
      before[w] = static_cast<uint32_t>(few);
      few += static_cast<size_t>(__builtin_popcountll(words[w]));
    }
    for (uint32_t j = 0; j < few; ++j) {
      const uint32_t w = (j >= before[1]) + (j >= before[2]) + (j >= before[3]);
      const uint64_t bit = _pdep_u64(uint64_t{1} << (j - before[w]), words[w]);
      const uint32_t lane = static_cast<uint32_t>(w * 64 + __builtin_ctzll(bit));
      index_[j] = static_cast<uint16_t>(lane);
      x_[j] = a[lane];
      if constexpr (kOp == Op::kBackward) dy_[j] = dy[lane];
    }
    const DF df;
    hn::StoreU(hn::Zero(df), df, x_ + few);
    if constexpr (kOp == Op::kBackward) hn::StoreU(hn::Zero(df), df, dy_ + few);
    return few;
  }

  // Kernels whose f and f' settle beyond the table: where at most kMaxFewWithSettled lanes are
  // neither in the table nor settled, every vector through the table, its settled lanes replaced
  // by their settled results, and those few lanes gathered through the tail. False otherwise.
  HWY_INLINE bool WithSettled(const K& kernel, const Function& function, Zeros zeros,
                              const uint32_t* in_table, const float* a, const float* dy,
                              float* out) {
    const DF df;
    uint64_t words[kWords];  // the lanes neither in the table nor settled
    size_t count = 0;
    for (size_t w = 0; w < kWords; ++w) {
      words[w] = 0;
      for (size_t k = 0; k < 4; ++k) {
        const size_t v = 4 * w + k;
        const uint32_t settled = kernel.SettledRangeF(hn::LoadU(df, a + v * kLanes)).raw;
        const uint32_t rest = ~(in_table[v] | settled) & ((1u << kLanes) - 1);
        words[w] |= uint64_t{rest} << (k * kLanes);
      }
      count += static_cast<size_t>(__builtin_popcountll(words[w]));
    }
    if (count > kMaxFewWithSettled) return false;
    const size_t few = GatherLanes(words, a, dy);
    RunThrough(few,
               [&](VF x, VF vdy) { return BeyondTableF<kOp>(kernel, function, zeros, x, vdy); });
    for (size_t k = 0; k < kVectors; k += 4) {
      Group(a, dy, out, k, [&](const VF* x, const VF* vdy, VF* r) {
        HWY_UNROLL(4)
        for (size_t j = 0; j < 4; ++j) {
          VF settled = kOp == Op::kForward ? kernel.SettledValueF(x[j]) : kernel.SettledGradF(x[j]);
          if constexpr (kOp == Op::kBackward) settled = hn::Mul(vdy[j], settled);
          r[j] = hn::IfThenElse(kernel.SettledRangeF(x[j]), settled,
                                TableF<kOp>(kernel, zeros, x[j], vdy[j]));
        }
      });
    }
    for (size_t j = 0; j < few; ++j) out[index_[j]] = x_[j];
    return true;
  }

  // The run's `few` lanes through `one`, in place, a vector at a time (at most four).
  template <class One>
  HWY_INLINE void RunThrough(size_t few, const One& one) {
    const DF df;
    for (size_t k = 0; k < few; k += kLanes) {
      const VF vdy = kOp == Op::kBackward ? hn::Load(df, dy_ + k) : hn::Zero(df);
      hn::Store(one(hn::Load(df, x_ + k), vdy), df, x_ + k);
    }
  }
  // Vectors k to k + 3 of the block through `group`, stored to out.
  template <class Compute4>
  static HWY_INLINE void Group(const float* a, const float* dy, float* out, size_t k,
                               const Compute4& group) {
    const DF df;
    VF v[4], vdy[4], r[4];
    HWY_UNROLL(4)
    for (size_t j = 0; j < 4; ++j) {
      v[j] = hn::LoadU(df, a + (k + j) * kLanes);
      vdy[j] = kOp == Op::kBackward ? hn::LoadU(df, dy + (k + j) * kLanes) : v[j];
    }
    group(v, vdy, r);
    HWY_UNROLL(4)
    for (size_t j = 0; j < 4; ++j) hn::StoreU(r[j], df, out + (k + j) * kLanes);
  }

  HWY_ALIGN float x_[kMaxFewWithSettled + kLanes];
  HWY_ALIGN float dy_[kMaxFewWithSettled + kLanes];
  uint16_t index_[kMaxFewWithSettled];
};
#endif  // HWY_TARGET <= HWY_AVX3

template <Op kOp, class K>
HWY_NOINLINE size_t MixedGroupsF(const K& kernel, const Function& function, Zeros zeros,
                                 const float* a, const float* dy, float* out, size_t i, size_t n,
                                 bool stream) {
#if HWY_TARGET <= HWY_AVX3
  // Streamed lines are not written over (they would be read back): streams take MixedGroupF.
  using Partition = PartitionF<kOp, K>;
  const size_t block = Partition::kVectors * Partition::kLanes;
  Partition partition;
  // After a block with many lanes on both sides, the next few take MixedGroupF without being
  // looked at (inputs that spread, as N(0, 16), would otherwise pay for the look every time).
  constexpr size_t kBlocksSkipped = 8;
  while (!stream && i + block <= n) {
    uint32_t in_table[Partition::kVectors];
    constexpr uint32_t kAllLanes = (1u << Partition::kLanes) - 1;
    uint32_t all = kAllLanes;
    for (size_t k = 0; k < Partition::kVectors; ++k) {
      in_table[k] = kernel.TableRangeF(hn::LoadU(DF(), a + i + k * Partition::kLanes)).raw;
      all &= in_table[k];
    }
    const float* block_dy = kOp == Op::kBackward ? dy + i : nullptr;  // null + i is undefined
    if (all == kAllLanes) {
      i = GroupsF<kOp, K, /*kMixed=*/false>(kernel, function, zeros, a, dy, out, i, i + block,
                                            stream);
    } else if (partition.Compute(kernel, function, zeros, in_table, a + i, block_dy, out + i)) {
      i += block;
    } else {
      i = GroupsF<kOp, K, /*kMixed=*/true>(kernel, function, zeros, a, dy, out, i,
                                           std::min(n, i + kBlocksSkipped * block), stream);
    }
  }
#endif
  return GroupsF<kOp, K, /*kMixed=*/true>(kernel, function, zeros, a, dy, out, i, n, stream);
}

// kSkipZeroHandling: a forward whose zeros need no handling (Function::zeros is kAsComputed, as for
// sigmoid or exponential, or the kernel's own are exact), compiled without the per-vector switch
// on the mode.
template <Op kOp, class K, bool kSkipZeroHandling = false>
void LoopF(const K& kernel, const Function& function, const float* a, const float* dy, float* out,
           size_t n) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  const Zeros zeros = kSkipZeroHandling ? Zeros::kAsComputed : function.zeros;
  constexpr bool kWithDy = kOp == Op::kBackward;
  // Fewer than `lanes` elements from i, through a padded buffer: never past the end.
  const auto partial = [&](size_t i, size_t count) {
    HWY_ALIGN float part_a[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_dy[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_out[HWY_MAX_BYTES / sizeof(float)];
    std::memcpy(part_a, a + i, count * sizeof(float));
    if (kWithDy) std::memcpy(part_dy, dy + i, count * sizeof(float));
    hn::Store(VectorF<kOp>(kernel, function, zeros, hn::Load(df, part_a), hn::Load(df, part_dy)),
              df, part_out);
    std::memcpy(out + i, part_out, count * sizeof(float));
  };
  // Outputs far beyond the caches are written with non-temporal stores, as memcpy does: a plain
  // store first reads the line it writes, a third of the memory traffic. They need aligned
  // addresses, so the elements before the first aligned one go through `partial`.
  const size_t vector_bytes = lanes * sizeof(float);
  const size_t misaligned = reinterpret_cast<uintptr_t>(out) % vector_bytes;
  const bool stream = n * sizeof(float) >= kStreamingBytes && misaligned % sizeof(float) == 0;
  size_t i = 0;
  if (stream && misaligned != 0) {
    i = std::min(n, (vector_bytes - misaligned) / sizeof(float));
    partial(0, i);
  }
  i = GroupsF<kOp, K, /*kMixed=*/false>(kernel, function, zeros, a, dy, out, i, n, stream);
  if constexpr (kUsesTable<kOp, K>) {
    if (i + 4 * lanes <= n)
      i = MixedGroupsF<kOp>(kernel, function, zeros, a, dy, out, i, n, stream);
  }
  for (; i + lanes <= n; i += lanes) {
    const VF va = hn::LoadU(df, a + i);
    const VF vdy = kWithDy ? hn::LoadU(df, dy + i) : va;
    StoreF(VectorF<kOp>(kernel, function, zeros, va, vdy), out + i, stream);
  }
  if (i < n) partial(i, n - i);
  if (stream) hwy::FlushStream();  // order the streamed stores before our return
}

// dx = dy f'(x) from y = f(x) in float lanes: one product with the kernel's f' at y. Infinite
// lanes of y come from the reference's from_output formula, and NaN passes through, as in the
// double lanes.
template <class K>
HWY_INLINE VF FromOutputF(const K& kernel, const Function& function, VF vy, VF vdy) {
  const VF r = ReferenceAtInfinities(function.info.reference_from_output, function, vy,
                                     kernel.GradFromOutputF(vy));
  return hn::IfThenElse(hn::IsNaN(vy), vy, hn::Mul(vdy, r));
}

template <class K>
void LoopFromOutputF(const K& kernel, const Function& function, const float* y, const float* dy,
                     float* out, size_t n) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  const auto one = [&](VF vy, VF vdy) { return FromOutputF(kernel, function, vy, vdy); };
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    hn::StoreU(one(hn::LoadU(df, y + i), hn::LoadU(df, dy + i)), df, out + i);
  }
  if (i < n) {  // through padded buffers, never past the end
    HWY_ALIGN float part_y[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_dy[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_out[HWY_MAX_BYTES / sizeof(float)];
    std::memcpy(part_y, y + i, (n - i) * sizeof(float));
    std::memcpy(part_dy, dy + i, (n - i) * sizeof(float));
    hn::Store(one(hn::Load(df, part_y), hn::Load(df, part_dy)), df, part_out);
    std::memcpy(out + i, part_out, (n - i) * sizeof(float));
  }
}

// Float arrays through the float-lane kernel; false if it has none for this op and parameters.
template <class K>
bool RunF(const K& kernel, Op op, const Function& function, const float* a, const float* dy,
          float* out, size_t n) {
  if constexpr (!HasFloatValue<K>) {
    return false;
  } else {
#if !HWY_NATIVE_FMA
    // The float kernels' double-float corrections need exact products (fma); without them the
    // double lanes, rounded once, keep the bounds.
    return false;
#endif
    if (!kernel.FloatNative()) return false;
    switch (op) {
      case Op::kForward: {
        bool skip_zero_handling = function.zeros == Zeros::kAsComputed;
        if constexpr (HasZerosExactF<K>) skip_zero_handling |= kernel.ZerosExactF();
        if (skip_zero_handling) {
          LoopF<Op::kForward, K, true>(kernel, function, a, dy, out, n);
        } else {
          LoopF<Op::kForward>(kernel, function, a, dy, out, n);
        }
        return true;
      }
      case Op::kDerivative:
      case Op::kBackward:
        if constexpr (HasFloatGrad<K>) {
          if (op == Op::kDerivative) {
            LoopF<Op::kDerivative>(kernel, function, a, dy, out, n);
          } else {
            LoopF<Op::kBackward>(kernel, function, a, dy, out, n);
          }
          return true;
        }
        return false;
      case Op::kBackwardFromOutput:
        if constexpr (HasGradFromOutputF<K>) {
          LoopFromOutputF(kernel, function, a, dy, out, n);
          return true;
        }
        return false;
    }
    return false;
  }
}

// Kernels with a table per form of a parameter (gelu's erf and tanh forms): TableFormF() names the
// form, and the loops run TableFormOfF<K, form>, which adds that form's table hooks.
template <class K>
concept HasTableFormsF = requires(const K& k) {
  { k.TableFormF() } -> std::same_as<int>;
};
template <class K, int kForm>
struct TableFormOfF : K {
  explicit TableFormOfF(const K& kernel) : K(kernel) {}
  VF TableValueF(VF x) const { return K::template TableValueOfFormF<kForm>(x); }
  VF TableGradF(VF x) const { return K::template TableGradOfFormF<kForm>(x); }
  // The form's tails: TailRangeF from K, TailValueOfFormF and TailGradOfFormF.
  VF TailValueF(VF x) const { return K::template TailValueOfFormF<kForm>(x); }
  VF TailGradF(VF x) const { return K::template TailGradOfFormF<kForm>(x); }
  MF SettledRangeF(VF x) const { return K::template SettledRangeOfFormF<kForm>(x); }
  VF SettledValueF(VF x) const { return K::template SettledValueOfFormF<kForm>(x); }
  VF SettledGradF(VF x) const { return K::template SettledGradOfFormF<kForm>(x); }
};

// 16-bit arrays through the float lanes in one pass (kernels.hpp, run_half): four vectors at a
// time widened, evaluated as GroupsF evaluates them and narrowed in registers, without the three
// passes' stores and reloads of float blocks. The kernels with a table for the op keep the passes:
// here their blocks with lanes on both sides of the table would compute both paths for every
// vector (PartitionF needs the whole block in floats), which cost gelu a third of its bfloat16
// speed at N(0, 4) on Zen 4.
template <Op kOp, HalfFormat kFormat, class K>
size_t LoopHalfF(const K& kernel, const Function& function, const uint16_t* a, const uint16_t* dy,
                 uint16_t* out, size_t n, const HalfNarrowing& narrowing) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  const Zeros zeros = function.zeros;
  constexpr bool kWithDy = kOp == Op::kBackward || kOp == Op::kBackwardFromOutput;
  // a is y for the backward from the output (LoopFromOutputF).
  const auto evaluate = [&](VF x, VF vdy) {
    if constexpr (kOp == Op::kBackwardFromOutput) {
      return FromOutputF(kernel, function, x, vdy);
    } else {
      return VectorF<kOp>(kernel, function, zeros, x, vdy);
    }
  };
  HalfNarrower<kFormat> narrower(narrowing);
  size_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    VF x[4], vdy[4], r[4];
    WidenHalfPair(kFormat, a + i, &x[0], &x[1]);
    WidenHalfPair(kFormat, a + i + 2 * lanes, &x[2], &x[3]);
    if (kWithDy) {
      WidenHalfPair(kFormat, dy + i, &vdy[0], &vdy[1]);
      WidenHalfPair(kFormat, dy + i + 2 * lanes, &vdy[2], &vdy[3]);
    } else {
      for (size_t k = 0; k < 4; ++k) vdy[k] = x[k];
    }
    HWY_UNROLL(4)
    for (size_t k = 0; k < 4; ++k) r[k] = evaluate(x[k], vdy[k]);
    narrower.Pair(i, x[0], vdy[0], r[0], x[1], vdy[1], r[1], out + i);
    narrower.Pair(i + 2 * lanes, x[2], vdy[2], r[2], x[3], vdy[3], r[3], out + i + 2 * lanes);
  }
  for (; i < n; i += lanes) {  // the last vectors through padded buffers, never past n
    const size_t count = std::min(lanes, n - i);
    HWY_ALIGN uint16_t part_a[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN uint16_t part_dy[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN uint16_t part_out[HWY_MAX_BYTES / sizeof(float)];
    std::memcpy(part_a, a + i, count * sizeof(uint16_t));
    if (kWithDy) std::memcpy(part_dy, dy + i, count * sizeof(uint16_t));
    const VF x = WidenHalf(kFormat, part_a);
    const VF vdy = kWithDy ? WidenHalf(kFormat, part_dy) : x;
    narrower.One(i, count, x, vdy, evaluate(x, vdy), part_out);
    std::memcpy(out + i, part_out, count * sizeof(uint16_t));
  }
  return narrower.count();
}

// The op's one-pass loop for a format, or kNotInOnePass where the kernel has no float lanes for
// it or a table (the ops and kernels RunF takes, less those).
template <HalfFormat kFormat, class K>
size_t RunHalfF(const K& kernel, Op op, const Function& function, const uint16_t* a,
                const uint16_t* dy, uint16_t* out, size_t n, const HalfNarrowing& narrowing) {
  switch (op) {
    case Op::kForward:
      // One loop for every zeros mode (LoopF compiles a second without the per-vector switch;
      // here the narrowing outweighs it).
      if constexpr (!kUsesTable<Op::kForward, K>) {
        return LoopHalfF<Op::kForward, kFormat>(kernel, function, a, dy, out, n, narrowing);
      }
      break;
    case Op::kDerivative:
      if constexpr (HasFloatGrad<K> && !kUsesTable<Op::kDerivative, K>) {
        return LoopHalfF<Op::kDerivative, kFormat>(kernel, function, a, dy, out, n, narrowing);
      }
      break;
    case Op::kBackward:
      if constexpr (HasFloatGrad<K> && !kUsesTable<Op::kBackward, K>) {
        return LoopHalfF<Op::kBackward, kFormat>(kernel, function, a, dy, out, n, narrowing);
      }
      break;
    case Op::kBackwardFromOutput:
      if constexpr (HasGradFromOutputF<K>) {
        return LoopHalfF<Op::kBackwardFromOutput, kFormat>(kernel, function, a, dy, out, n,
                                                           narrowing);
      }
      break;
  }
  return kNotInOnePass;
}

template <class K>
size_t LoopHalf(Op op, const Function& function, HalfFormat format, const uint16_t* a,
                const uint16_t* dy, uint16_t* out, size_t n, const HalfNarrowing& narrowing) {
  if constexpr (!HasFloatValue<K> || HasTableFormsF<K> || !HWY_NATIVE_FMA) {
    // As RunF: no float lanes, or (without fma) not exact enough; and the table kernels' forms.
    return kNotInOnePass;
  } else {
    const K kernel(function.params);
    if (!kernel.FloatNative()) return kNotInOnePass;
    if (format == HalfFormat::kBFloat16) {
      return RunHalfF<HalfFormat::kBFloat16>(kernel, op, function, a, dy, out, n, narrowing);
    }
    if constexpr (kF16c) {
      return RunHalfF<HalfFormat::kFloat16>(kernel, op, function, a, dy, out, n, narrowing);
    }
    return kNotInOnePass;
  }
}

// The hooks a kernel defines, found by the concepts above.
template <class K>
constexpr Hooks FoundHooks() {
  Hooks found = 0;
  if constexpr (HasScalarRange<K>) found |= kScalar;
  if constexpr (HasScalarDoubleRange<K>) found |= kScalarDouble;
  if constexpr (HasScalarDoubleGradRange<K>) found |= kScalarDoubleGrad;
  if constexpr (HasValueForDouble<K>) found |= kValueForDouble;
  if constexpr (HasFloatValue<K>) found |= kFloat;
  if constexpr (HasFloatGrad<K>) found |= kFloatGrad;
  if constexpr (HasFastRangeF<K>) found |= kFastRange;
  if constexpr (ValueHandlesSpecialsF<K>) found |= kHandlesSpecials;
  if constexpr (HasZerosExactF<K>) found |= kZerosExact;
  if constexpr (HasTableF<K>) found |= kTable;
  if constexpr (HasTableGradF<K>) found |= kTableGrad;
  if constexpr (HasTableFormsF<K>) found |= kTableForms;
  if constexpr (HasTailF<K>) found |= kTail;
  if constexpr (HasTailGradF<K>) found |= kTailGrad;
  if constexpr (HasSettledF<K>) found |= kSettled;
  if constexpr (HasGradFromOutputF<K>) found |= kFloatFromOutput;
  return found;
}
template <class K>
constexpr Hooks DeclaredHooks() {
  if constexpr (requires { K::kHooks; }) {
    return K::kHooks;
  } else {
    return 0;
  }
}

// The contract at the top of this file, checked for each kernel of the list (from_output: the
// list's Y or N).
#define SIGMA_FROM_OUTPUT_Y true
#define SIGMA_FROM_OUTPUT_N false
template <class K, bool kFromOutput>
constexpr void CheckHooks() {
  static_assert(HasGradFromOutput<K> == kFromOutput,
                "a kernel has GradFromOutput exactly where the list says Y");
  static_assert(DeclaredHooks<K>() == FoundHooks<K>(),
                "a kernel's kHooks names exactly the optional hooks it defines (a misspelt or "
                "mistyped hook is not found)");
  static_assert(!HasFloatGrad<K> || HasFloatValue<K>, "GradF comes with ValueF");
  static_assert(!HasScalarDoubleGradRange<K> || HasScalarDoubleRange<K>,
                "ScalarDoubleGrad comes with ScalarDouble");
  static_assert(!HasGradFromOutputF<K> || (HasFloatValue<K> && HasGradFromOutput<K>),
                "GradFromOutputF comes with ValueF and GradFromOutput");
  static_assert(!(HasTailF<K> || HasTailGradF<K>) || HasTableF<K>,
                "a tail is the part of a table kernel's range beyond its table");
}

template <class K, typename T>
void Loop(Op op, const Function& function, const T* a, const T* dy, T* out, size_t n) {
  const K kernel(function.params);
  if constexpr (sizeof(T) == sizeof(float)) {
    if constexpr (HasTableFormsF<K>) {
      const bool done = kernel.TableFormF() == 0
                            ? RunF(TableFormOfF<K, 0>(kernel), op, function, a, dy, out, n)
                            : RunF(TableFormOfF<K, 1>(kernel), op, function, a, dy, out, n);
      if (done) return;
    } else if (RunF(kernel, op, function, a, dy, out, n)) {
      return;
    }
  }
  const Zeros zeros = function.zeros;
  const D d;
  const size_t lanes = hn::Lanes(d);
  const bool with_dy = op == Op::kBackward || op == Op::kBackwardFromOutput;
  const auto load = [&](const T* p) {
    if constexpr (sizeof(T) == sizeof(double)) {
      return hn::LoadU(d, p);
    } else {
      return hn::PromoteTo(d, hn::LoadU(hn::Rebind<T, D>(), p));
    }
  };
  const auto store = [&](V v, T* p) {
    if constexpr (sizeof(T) == sizeof(double)) {
      hn::StoreU(v, d, p);
    } else {
#if HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
      // Their DemoteTo saturates at the largest float, but a result beyond it is infinite.
      HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(double)];
      hn::Store(v, d, lanes);
      for (size_t i = 0; i < hn::Lanes(d); ++i) p[i] = static_cast<float>(lanes[i]);
#else
      hn::StoreU(hn::DemoteTo(hn::Rebind<T, D>(), v), hn::Rebind<T, D>(), p);
#endif
    }
  };
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const V va = load(a + i);
    const V vdy = with_dy ? load(dy + i) : va;
    store(Body<K, sizeof(T) == sizeof(double)>(kernel, op, function, zeros, va, vdy), out + i);
  }
  if (i < n) {  // the tail through a padded buffer, never reading or writing past the end
    HWY_ALIGN T tail_a[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN T tail_dy[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN T tail_out[HWY_MAX_BYTES / sizeof(double)];
    const size_t rest = n - i;
    std::memcpy(tail_a, a + i, rest * sizeof(T));
    if (with_dy) std::memcpy(tail_dy, dy + i, rest * sizeof(T));
    store(Body<K, sizeof(T) == sizeof(double)>(kernel, op, function, zeros, load(tail_a),
                                               load(tail_dy)),
          tail_out);
    std::memcpy(out + i, tail_out, rest * sizeof(T));
  }
}

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard

#ifndef SIGMA_KERNELS_FAMILY_RUN_
#define SIGMA_KERNELS_FAMILY_RUN_
// In a family's file, inside HWY_NAMESPACE: Run<Family>Float and Run<Family>Double, a switch over
// the family's kernels (LIST, its list in kernels.hpp).
#define SIGMA_KERNEL_CASE_(family, name, kernel, reference, from_output) \
  case KernelId::k_##name:                                               \
    CheckHooks<kernel, SIGMA_FROM_OUTPUT_##from_output>();               \
    return Loop<kernel, T>(op, function, a, dy, out, n);
#define SIGMA_KERNEL_HALF_CASE_(family, name, kernel, reference, from_output) \
  case KernelId::k_##name:                                                    \
    return LoopHalf<kernel>(op, function, format, a, dy, out, n, narrowing);
#define SIGMA_DEFINE_FAMILY_RUN(Family, LIST)                                                     \
  template <typename T>                                                                           \
  void Run##Family(KernelId id, Op op, const Function& function, const T* a, const T* dy, T* out, \
                   size_t n) {                                                                    \
    switch (id) {                                                                                 \
      LIST(SIGMA_KERNEL_CASE_)                                                                    \
      default:                                                                                    \
        break;                                                                                    \
    }                                                                                             \
  }                                                                                               \
  void Run##Family##Float(KernelId id, Op op, const Function& function, const float* a,           \
                          const float* dy, float* out, size_t n) {                                \
    Run##Family(id, op, function, a, dy, out, n);                                                 \
  }                                                                                               \
  void Run##Family##Double(KernelId id, Op op, const Function& function, const double* a,         \
                           const double* dy, double* out, size_t n) {                             \
    Run##Family(id, op, function, a, dy, out, n);                                                 \
  }                                                                                               \
  size_t Run##Family##Half(KernelId id, Op op, const Function& function, HalfFormat format,       \
                           const uint16_t* a, const uint16_t* dy, uint16_t* out, size_t n,        \
                           const HalfNarrowing& narrowing) {                                      \
    switch (id) {                                                                                 \
      LIST(SIGMA_KERNEL_HALF_CASE_)                                                               \
      default:                                                                                    \
        break;                                                                                    \
    }                                                                                             \
    return kNotInOnePass;                                                                         \
  }
// After HWY_AFTER_NAMESPACE, under HWY_ONCE, in namespace sigma::kernels: the family's entry
// points (kernels.hpp), dispatched to the best target at run time.
#define SIGMA_EXPORT_FAMILY_RUN(Family)                                                            \
  HWY_EXPORT(Run##Family##Float);                                                                  \
  HWY_EXPORT(Run##Family##Double);                                                                 \
  void run_##Family(KernelId id, Op op, const Function& function, const float* a, const float* dy, \
                    float* out, std::size_t n) {                                                   \
    HWY_DYNAMIC_DISPATCH(Run##Family##Float)(id, op, function, a, dy, out, n);                     \
  }                                                                                                \
  void run_##Family(KernelId id, Op op, const Function& function, const double* a,                 \
                    const double* dy, double* out, std::size_t n) {                                \
    HWY_DYNAMIC_DISPATCH(Run##Family##Double)(id, op, function, a, dy, out, n);                    \
  }                                                                                                \
  HWY_EXPORT(Run##Family##Half);                                                                   \
  std::size_t run_half_##Family(KernelId id, Op op, const Function& function, HalfFormat format,   \
                                const std::uint16_t* a, const std::uint16_t* dy,                   \
                                std::uint16_t* out, std::size_t n,                                 \
                                const HalfNarrowing& narrowing) {                                  \
    return HWY_DYNAMIC_DISPATCH(Run##Family##Half)(id, op, function, format, a, dy, out, n,        \
                                                   narrowing);                                     \
  }
#endif  // SIGMA_KERNELS_FAMILY_RUN_
