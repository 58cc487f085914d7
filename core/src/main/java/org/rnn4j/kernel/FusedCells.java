package org.rnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pointwise part of one recurrent step for one batch row, fused into one vectorised pass: gate
 * activations, state update and everything backward needs, in PyTorch's formulas and gate order.
 * The sequence runner ({@code org.rnn4j.nn.Recurrent}) does the GEMMs; the cells in {@code nn} call
 * these once per active row.
 *
 * <p>Legend: H hidden; G gates (LSTM 4: i, f, g, o; GRU 3: r, z, n; RNN 1); a gate block of one row
 * is [G, H] (gate q at offset q*H). Sigmoid and tanh are those of {@link Activations} (≤ 2 ulp).
 *
 * <p>Each loop runs over H in whole vectors, then the same formulas in scalar code for the last H mod L
 * elements (float arithmetic, sigmoid and tanh in double and rounded once, so the tail agrees with the
 * lanes to an ulp or two). Vectors never pass through a helper method: a vector argument or result of
 * a call the JIT does not inline is boxed (2.5–3× slower). Masked tails are avoided for the same
 * reason: when these loops are inlined deep into an on-stack-replaced caller, the JIT was seen to box
 * the masks and run 30× slower.
 *
 * <p>The gated forwards apply their gate activations in separate short loops before the state update,
 * with one call site per kind of activation. C2 stops inlining a compilation unit when its graph passes
 * a fixed node budget (NodeCountInliningCutoff, not settable in product JVMs); an activation past that
 * point stays a call and boxes every vector (39 MB allocated per S1 LSTM training step when the LSTM
 * forward spelled out five activations in one loop). Three activation sites per method stay under it.
 * The extra passes run over a [G, H] row in L1.
 */
public final class FusedCells {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FusedCells() {}

    /**
     * LSTM step forward:
     * <pre>
     *   i = σ(x_i + h_i)  f = σ(x_f + h_f)  g = tanh(x_g + h_g)  o = σ(x_o + h_o)
     *   c' = f ⊙ c + i ⊙ g     h' = o ⊙ tanh(c')
     * </pre>
     *
     * @param gx  [4, H] at gOff: x-side pre-activations (with b_ih); overwritten with i, f, g, o
     * @param ghh [4, H] at rOff: h-side pre-activations (with b_hh)
     * @param cs  c at cPrev [H], c' written at cCur [H]
     * @param hs  h' written at hCur [H]
     */
    public static void lstmForward(int h, float[] gx, int gOff, float[] ghh, int rOff,
                                   float[] cs, int cPrev, int cCur, float[] hs, int hCur) {
        addInPlace(gx, gOff, ghh, rOff, 4 * h);
        // one call site per activation (see the class comment): i, f and o in a loop, then g
        for (int q = 0; q < 4; q++) {
            if (q != 2) sigmoidInPlace(gx, gOff + q * h, h);
        }
        tanhInPlace(gx, gOff + 2 * h, h);
        lstmStateUpdate(h, gx, gOff, cs, cPrev, cCur, hs, hCur);
    }

    /** {@code c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c')} from the activated gates (one activation site). */
    private static void lstmStateUpdate(int h, float[] acts, int gOff, float[] cs, int cPrev, int cCur,
                                        float[] hs, int hCur) {
        final int g1 = gOff + h, g2 = gOff + 2 * h, g3 = gOff + 3 * h;
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector c = FloatVector.fromArray(S, acts, g1 + j).mul(FloatVector.fromArray(S, cs, cPrev + j))
                    .add(FloatVector.fromArray(S, acts, gOff + j).mul(FloatVector.fromArray(S, acts, g2 + j)));
            c.intoArray(cs, cCur + j);
            FloatVector.fromArray(S, acts, g3 + j).mul(Activations.tanh(c)).intoArray(hs, hCur + j);
        }
        for (int j = hv; j < h; j++) {
            float c = acts[g1 + j] * cs[cPrev + j] + acts[gOff + j] * acts[g2 + j];
            cs[cCur + j] = c;
            hs[hCur + j] = acts[g3 + j] * Activations.tanhExact(c);
        }
    }

    /**
     * LSTM step backward. With dh = dh_carried + dOut and dc = dc_carried + dh ⊙ o ⊙ (1 − tanh²c'):
     * <pre>
     *   dG_i = dc ⊙ g ⊙ i(1−i)   dG_f = dc ⊙ c ⊙ f(1−f)   dG_g = dc ⊙ i ⊙ (1−g²)   dG_o = dh ⊙ tanh c' ⊙ o(1−o)
     * </pre>
     * then the carried dc becomes dc ⊙ f and the carried dh is cleared (the runner adds dG · W_hh).
     *
     * @param acts [4, H] at gOff: i, f, g, o from the forward
     * @param cs   c at cPrev, c' at cCur
     * @param dh   [H] at dhOff: carried dL/dh', cleared
     * @param dOut [H] at outOff: gradient of this step's output
     * @param dc   [H] at dhOff: carried dL/dc', replaced by dL/dc
     * @param dG   [4, H] at dOff: written
     */
    public static void lstmBackward(int h, float[] acts, int gOff, float[] cs, int cPrev, int cCur,
                                    float[] dh, float[] dc, int dhOff, float[] dOut, int outOff,
                                    float[] dG, int dOff) {
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector zero = FloatVector.zero(S);
        final int g1 = gOff + h, g2 = gOff + 2 * h, g3 = gOff + 3 * h;
        final int d1 = dOff + h, d2 = dOff + 2 * h, d3 = dOff + 3 * h;
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector i = FloatVector.fromArray(S, acts, gOff + j);
            FloatVector f = FloatVector.fromArray(S, acts, g1 + j);
            FloatVector g = FloatVector.fromArray(S, acts, g2 + j);
            FloatVector o = FloatVector.fromArray(S, acts, g3 + j);
            FloatVector tc = Activations.tanh(FloatVector.fromArray(S, cs, cCur + j));
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j).add(FloatVector.fromArray(S, dOut, outOff + j));
            FloatVector dcj = FloatVector.fromArray(S, dc, dhOff + j)
                    .add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dcj.mul(g).mul(i.mul(one.sub(i))).intoArray(dG, dOff + j);
            dcj.mul(FloatVector.fromArray(S, cs, cPrev + j)).mul(f.mul(one.sub(f))).intoArray(dG, d1 + j);
            dcj.mul(i).mul(one.sub(g.mul(g))).intoArray(dG, d2 + j);
            dhj.mul(tc).mul(o.mul(one.sub(o))).intoArray(dG, d3 + j);
            dcj.mul(f).intoArray(dc, dhOff + j);
            zero.intoArray(dh, dhOff + j);
        }
        for (int j = hv; j < h; j++) {
            float i = acts[gOff + j], f = acts[g1 + j], g = acts[g2 + j], o = acts[g3 + j];
            float tc = Activations.tanhExact(cs[cCur + j]);
            float dhj = dh[dhOff + j] + dOut[outOff + j];
            float dcj = dc[dhOff + j] + dhj * o * (1 - tc * tc);
            dG[dOff + j] = dcj * g * (i * (1 - i));
            dG[d1 + j] = dcj * cs[cPrev + j] * (f * (1 - f));
            dG[d2 + j] = dcj * i * (1 - g * g);
            dG[d3 + j] = dhj * tc * (o * (1 - o));
            dc[dhOff + j] = dcj * f;
            dh[dhOff + j] = 0f;
        }
    }

    /**
     * GRU step forward:
     * <pre>
     *   r = σ(x_r + h_r)   z = σ(x_z + h_z)   n = tanh(x_n + r ⊙ h_n)   h' = (1 − z) ⊙ n + z ⊙ h
     * </pre>
     * where h_* = W_h* h + b_h*.
     *
     * @param gx  [3, H] at gOff: x-side pre-activations; overwritten with r, z, n
     * @param ghh [3, H] at rOff: h-side pre-activations
     * @param hs  h at hPrev, h' written at hCur
     * @param aux [H] at auxOff: h_n written (backward needs it)
     */
    public static void gruForward(int h, float[] gx, int gOff, float[] ghh, int rOff,
                                  float[] hs, int hPrev, int hCur, float[] aux, int auxOff) {
        addInPlace(gx, gOff, ghh, rOff, 2 * h);
        for (int q = 0; q < 2; q++) sigmoidInPlace(gx, gOff + q * h, h); // r, z: one call site
        gruStateUpdate(h, gx, gOff, ghh, rOff, hs, hPrev, hCur, aux, auxOff);
    }

    /** {@code n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h} from the activated r, z (one activation site). */
    private static void gruStateUpdate(int h, float[] gx, int gOff, float[] ghh, int rOff,
                                       float[] hs, int hPrev, int hCur, float[] aux, int auxOff) {
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final int g1 = gOff + h, g2 = gOff + 2 * h;
        final int r2 = rOff + 2 * h;
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector r = FloatVector.fromArray(S, gx, gOff + j);
            FloatVector z = FloatVector.fromArray(S, gx, g1 + j);
            FloatVector hn = FloatVector.fromArray(S, ghh, r2 + j);
            FloatVector n = Activations.tanh(FloatVector.fromArray(S, gx, g2 + j).add(r.mul(hn)));
            FloatVector hp = FloatVector.fromArray(S, hs, hPrev + j);
            one.sub(z).mul(n).add(z.mul(hp)).intoArray(hs, hCur + j);
            n.intoArray(gx, g2 + j);
            hn.intoArray(aux, auxOff + j);
        }
        for (int j = hv; j < h; j++) {
            float r = gx[gOff + j], z = gx[g1 + j];
            float hn = ghh[r2 + j];
            float n = Activations.tanhExact(gx[g2 + j] + r * hn);
            hs[hCur + j] = (1 - z) * n + z * hs[hPrev + j];
            gx[g2 + j] = n;
            aux[auxOff + j] = hn;
        }
    }

    /**
     * GRU step backward. With dh = dh_carried + dOut:
     * <pre>
     *   dn = dh ⊙ (1−z) ⊙ (1−n²)   dz = dh ⊙ (h − n) ⊙ z(1−z)   dr = dn ⊙ h_n ⊙ r(1−r)
     *   dG = (dr, dz, dn)          dGh = (dr, dz, dn ⊙ r)        carried dh = dh ⊙ z
     * </pre>
     *
     * @param acts [3, H] at gOff: r, z, n from the forward
     * @param hs   h at hPrev
     * @param aux  [H] at auxOff: h_n from the forward
     * @param dh   [H] at dhOff: carried dL/dh', replaced by the direct part of dL/dh
     * @param dG   [3, H] at dOff: input-side gradient, written
     * @param dGh  [3, H] at dOff: recurrent-side gradient, written
     */
    public static void gruBackward(int h, float[] acts, int gOff, float[] hs, int hPrev, float[] aux, int auxOff,
                                   float[] dh, int dhOff, float[] dOut, int outOff, float[] dG, float[] dGh, int dOff) {
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final int g1 = gOff + h, g2 = gOff + 2 * h;
        final int d1 = dOff + h, d2 = dOff + 2 * h;
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector r = FloatVector.fromArray(S, acts, gOff + j);
            FloatVector z = FloatVector.fromArray(S, acts, g1 + j);
            FloatVector n = FloatVector.fromArray(S, acts, g2 + j);
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j).add(FloatVector.fromArray(S, dOut, outOff + j));
            FloatVector dn = dhj.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector dz = dhj.mul(FloatVector.fromArray(S, hs, hPrev + j).sub(n)).mul(z.mul(one.sub(z)));
            FloatVector dr = dn.mul(FloatVector.fromArray(S, aux, auxOff + j)).mul(r.mul(one.sub(r)));
            dr.intoArray(dG, dOff + j);
            dz.intoArray(dG, d1 + j);
            dn.intoArray(dG, d2 + j);
            dr.intoArray(dGh, dOff + j);
            dz.intoArray(dGh, d1 + j);
            dn.mul(r).intoArray(dGh, d2 + j);
            dhj.mul(z).intoArray(dh, dhOff + j);
        }
        for (int j = hv; j < h; j++) {
            float r = acts[gOff + j], z = acts[g1 + j], n = acts[g2 + j];
            float dhj = dh[dhOff + j] + dOut[outOff + j];
            float dn = dhj * (1 - z) * (1 - n * n);
            float dz = dhj * (hs[hPrev + j] - n) * (z * (1 - z));
            float dr = dn * aux[auxOff + j] * (r * (1 - r));
            dG[dOff + j] = dr;
            dG[d1 + j] = dz;
            dG[d2 + j] = dn;
            dGh[dOff + j] = dr;
            dGh[d1 + j] = dz;
            dGh[d2 + j] = dn * r;
            dh[dhOff + j] = dhj * z;
        }
    }

    /**
     * Elman step forward: {@code h' = act(x + h_h)} with act tanh or relu.
     *
     * @param gx  [H] at gOff: x-side pre-activation (with b_ih)
     * @param ghh [H] at rOff: W_hh h + b_hh
     * @param hs  h' written at hCur
     */
    public static void rnnForward(int h, boolean relu, float[] gx, int gOff, float[] ghh, int rOff, float[] hs, int hCur) {
        final FloatVector zero = FloatVector.zero(S);
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector pre = FloatVector.fromArray(S, gx, gOff + j).add(FloatVector.fromArray(S, ghh, rOff + j));
            FloatVector y = relu ? pre.max(zero) : Activations.tanh(pre);
            y.intoArray(hs, hCur + j);
        }
        for (int j = hv; j < h; j++) {
            float pre = gx[gOff + j] + ghh[rOff + j];
            hs[hCur + j] = relu ? Math.max(pre, 0f) : Activations.tanhExact(pre);
        }
    }

    /**
     * Elman step backward: dG = dh ⊙ (1 − h'²) for tanh, dh ⊙ [h' > 0] for relu, with
     * dh = dh_carried + dOut; the carried dh is cleared.
     *
     * @param hs  h' at hCur
     * @param dG  [H] at dOff: written
     */
    public static void rnnBackward(int h, boolean relu, float[] hs, int hCur, float[] dh, int dhOff,
                                   float[] dOut, int outOff, float[] dG, int dOff) {
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector zero = FloatVector.zero(S);
        final int hv = S.loopBound(h);
        for (int j = 0; j < hv; j += L) {
            FloatVector y = FloatVector.fromArray(S, hs, hCur + j);
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j).add(FloatVector.fromArray(S, dOut, outOff + j));
            FloatVector d = relu ? zero.blend(dhj, y.compare(VectorOperators.GT, zero)) : dhj.mul(one.sub(y.mul(y)));
            d.intoArray(dG, dOff + j);
            zero.intoArray(dh, dhOff + j);
        }
        for (int j = hv; j < h; j++) {
            float y = hs[hCur + j];
            float dhj = dh[dhOff + j] + dOut[outOff + j];
            dG[dOff + j] = relu ? (y > 0 ? dhj : 0f) : dhj * (1 - y * y);
            dh[dhOff + j] = 0f;
        }
    }

    /** {@code a[aOff + j] += b[bOff + j]} for j in [0, n). */
    private static void addInPlace(float[] a, int aOff, float[] b, int bOff, int n) {
        final int nv = S.loopBound(n);
        for (int j = 0; j < nv; j += L) {
            FloatVector.fromArray(S, a, aOff + j).add(FloatVector.fromArray(S, b, bOff + j)).intoArray(a, aOff + j);
        }
        for (int j = nv; j < n; j++) a[aOff + j] += b[bOff + j];
    }

    /** One gate's sigmoid in place: whole vectors, then the scalar tail (as every loop here). */
    private static void sigmoidInPlace(float[] a, int off, int n) {
        final int nv = S.loopBound(n);
        for (int j = 0; j < nv; j += L) {
            Activations.sigmoid(FloatVector.fromArray(S, a, off + j)).intoArray(a, off + j);
        }
        for (int j = nv; j < n; j++) a[off + j] = Activations.sigmoidExact(a[off + j]);
    }

    /** One gate's tanh in place. */
    private static void tanhInPlace(float[] a, int off, int n) {
        final int nv = S.loopBound(n);
        for (int j = 0; j < nv; j += L) {
            Activations.tanh(FloatVector.fromArray(S, a, off + j)).intoArray(a, off + j);
        }
        for (int j = nv; j < n; j++) a[off + j] = Activations.tanhExact(a[off + j]);
    }
}
