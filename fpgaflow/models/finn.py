"""BNN-PYNQ's networks (FINN LFC and CNV) as layers of the MVAU model, and a loader for their
published parameters.

Geometry and arithmetic are BNN-PYNQ's (``bnn/src/network/<net>/hw/config.h`` and ``top.cpp``,
commit d39c1c7, with finn-hlslib 8b7f5f5):

* Layer L has MatrixW x MatrixH (conv: K*K*IFM_CH x OFM_CH), SIMD, PE, WMEM = (MW/SIMD)*(MH/PE)
  weight words and TMEM = MH/PE threshold words per PE.
* ``L-P-weights.bin`` (layer L, PE P): WMEM little-endian 64-bit words, word ``tile`` is
  ``m_weights[P][tile]``: SIMD weights of WBITS bits, weight i at bit ``i*WBITS``; tile
  ``nf*SF + sf`` holds row ``nf*PE + P``, columns ``sf*SIMD .. sf*SIMD+SIMD-1``.
* ``L-P-thres.bin``: TMEM x NumTH 64-bit words, ``m_thresholds[P][nf][t]``, read as
  ``ap_int<16>`` (the low 16 bits), except CNV layer 0 whose thresholds are ``ap_fixed<24,16>``
  reinterpreted from ``ap_fixed<64,56>`` (8 fraction bits).  That layer's accumulator is a sum of
  +-pixel (``ap_fixed<8,1>``, 7 fraction bits), so the model keeps it as an integer of 2**-7
  and uses the threshold ``floor(t / 2)``: ``t/256 < a/128  <=>  floor(t/2) < a`` for integer
  ``a``; the 16-bit accumulator holds it exactly (``|a| <= 27*2*128``).
* Conv layers read the sliding window (finn-hlslib ``ConvolutionInputGenerator``: output pixel
  by pixel, kernel row, kernel column, then the input channels), so column
  ``(ky*K + kx)*IFM_CH + ch``; max-pooling is 2x2 over whole pixels (``StreamingMaxPool``, OR of
  bits; ``StreamingMaxPool_Precision`` for signed 2-bit, starting at -1).
* Input: LFC binarizes MNIST pixels scaled to [-1, 1] at ``>= 0`` (pixel >= 128), padded with 0
  bits to 832; CNV scales CIFAR-10 bytes to [-1, 1] and quantizes them as
  ``ap_fixed<8,1,AP_RND,AP_SAT>`` (integer code ``c - 128 + (c >= 128)``, at most 127),
  channels interleaved per pixel.
* Output as the host decodes it: LFC thresholds its last layer to one bit per class and the
  host takes ``round(log2(bits & 0x3ff))``; CNV passes the 16-bit accumulators through and the
  host takes the first maximum of the ten ``ap_int<16>`` scores.
"""

from __future__ import annotations

import math
import pathlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from fpgaflow.models import _cli, mvau

BIP, SGN, THR, PASS = mvau.BIPOLAR, mvau.SIGNED, mvau.THRESHOLDS, mvau.PASS

# (K, IFM_CH, IFM_DIM, OFM_CH, OFM_DIM) of CNV's six convolutions, then the three FC (MW, MH)
_CNV_CONV = [(3, 3, 32, 64, 30), (3, 64, 30, 64, 28), (3, 64, 14, 128, 12), (3, 128, 12, 128, 10),
             (3, 128, 5, 256, 3), (3, 256, 3, 256, 1)]
_CNV_FC = [(256, 512), (512, 512), (512, 64)]
_CNV_POOL_AFTER = (1, 3)

# (SIMD, PE) per layer from each network's config.h
_FOLD = {
    "lfcW1A1": [(64, 32), (32, 64), (64, 32), (8, 16)],
    "lfcW1A2": [(64, 32), (32, 64), (64, 32), (8, 16)],
    "cnvW1A1": [(3, 16), (32, 32), (32, 16), (32, 16), (32, 4), (32, 1), (4, 1), (8, 1), (1, 4)],
    "cnvW1A2": [(3, 16), (32, 32), (32, 16), (32, 16), (32, 4), (32, 1), (4, 1), (8, 1), (1, 4)],
    "cnvW2A2": [(3, 8), (16, 16), (16, 8), (16, 8), (8, 4), (8, 1), (2, 1), (2, 2), (1, 4)],
}


def _mvau(mw, mh, simd, pe, wbits, abits, atype, act=THR, nthr=1, obias=0, obits=1, xnor=0):
    """One layer; every BNN-PYNQ accumulator is 16 bits (``ap_int<16>`` for thresholds,
    ``ap_uint<16>`` for the pass-through last CNV layer: the same bits)."""
    return {"MW": mw, "MH": mh, "SIMD": simd, "PE": pe, "WBITS": wbits, "ABITS": abits,
            "ATYPE": atype, "XNOR": int(xnor), "ACCW": 16, "ACT": act, "NTHR": nthr,
            "OBIAS": obias, "OBITS": obits}


def lfc_layers(abits: int, dims=(832, 1024, 1024, 1024, 64), fold=None) -> list[dict]:
    """LFC W1A<abits> (1 or 2) as MVAU layers: BNN-PYNQ's when dims/fold are left alone."""
    fold = fold or _FOLD["lfcW1A1"]
    layers = []
    for i in range(4):
        mw, mh = dims[i], dims[i + 1]
        simd, pe = fold[i]
        last = i == 3
        if abits == 1:      # Recast<XnorMul> everywhere, last layer one threshold too
            lp = _mvau(mw, mh, simd, pe, 1, 1, BIP, xnor=1)
        else:               # Binary weights times Binary (layer 0) or ap_int<2> activations
            lp = _mvau(mw, mh, simd, pe, 1, 1 if i == 0 else 2, BIP if i == 0 else SGN,
                       nthr=1 if last else 2, obias=0 if last else -1, obits=1 if last else 2)
        lp.update(kind="fc")
        layers.append(lp)
    return layers


def cnv_layers(wbits: int, abits: int, conv=None, fc=None, fold=None) -> list[dict]:
    """CNV W<wbits>A<abits> as layers (conv layers carry K, IFM_CH, IFM_DIM, OFM_DIM; POOL marks
    a 2x2 max-pool after the layer)."""
    conv, fc = conv or _CNV_CONV, fc or _CNV_FC
    fold = fold or _FOLD[f"cnvW{wbits}A{abits}"]
    a2 = abits == 2
    layers = []
    for i, (k, ic, idim, oc, odim) in enumerate(conv):
        simd, pe = fold[i]
        first = i == 0
        lp = _mvau(k * k * ic, oc, simd, pe, wbits, 8 if first else abits,
                   SGN if first or a2 else BIP, nthr=2 if a2 else 1, obias=-1 if a2 else 0,
                   obits=2 if a2 else 1, xnor=not a2 and not first)
        lp.update(kind="conv", K=k, IFM_CH=ic, IFM_DIM=idim, OFM_DIM=odim,
                  POOL=int(i in _CNV_POOL_AFTER), FIXTHR=int(first))
        layers.append(lp)
    for j, (mw, mh) in enumerate(fc):
        simd, pe = fold[len(conv) + j]
        last = j == len(fc) - 1
        lp = _mvau(mw, mh, simd, pe, wbits, abits, SGN if a2 else BIP, act=PASS if last else THR,
                   nthr=2 if a2 else 1, obias=-1 if a2 else 0, obits=2 if a2 else 1,
                   xnor=not a2)
        lp.update(kind="fc")
        layers.append(lp)
    return layers


#: the published networks: name -> its layers
NETWORKS = {
    "lfcW1A1": lambda: lfc_layers(1),
    "lfcW1A2": lambda: lfc_layers(2),
    "cnvW1A1": lambda: cnv_layers(1, 1),
    "cnvW1A2": lambda: cnv_layers(1, 2),
    "cnvW2A2": lambda: cnv_layers(2, 2),
}


def derived(lp: dict) -> dict:
    """The MVAU's derived parameters of a layer (its extra keys, K, POOL, ..., kept)."""
    d = mvau.derived({k: v for k, v in lp.items() if k in mvau.PARAMETERS})
    return dict(lp, **d)


def network(name: str) -> list[dict]:
    if name not in NETWORKS:
        raise KeyError(f"unknown network {name!r}; known: {', '.join(NETWORKS)}")
    return NETWORKS[name]()


def pool_mode(lp: dict) -> tuple[bool, int]:
    """(signed compare, initial value) of the max-pool after a layer."""
    return (True, -1) if lp["OBIAS"] < 0 else (False, 0)


# --------------------------------------------------------------------------- parameter files
def read_source(source) -> dict[str, bytes]:
    """``{"0-3-weights": bytes, ...}`` from a folder of BNN-PYNQ ``.bin`` files or an ``.npz``
    holding the same bytes under the file stems."""
    source = pathlib.Path(source)
    if source.is_dir():
        return {p.stem: p.read_bytes() for p in sorted(source.glob("*.bin"))}
    with np.load(source) as z:
        return {k: z[k].astype(np.uint8).tobytes() for k in z.files}


def _words(blob: bytes, n: int, what: str) -> np.ndarray:
    """The first ``n`` little-endian 64-bit words; words past the end of a short file are 0, as
    the host's ``ifstream::read`` into a zeroed word leaves them (the SVHN CNV's last layer
    files hold 12 of the 64 rows)."""
    if len(blob) % 8:
        raise ValueError(f"{what}: {len(blob)} bytes is not a whole number of 64-bit words")
    blob = blob[:8 * n].ljust(8 * n, b"\0")
    return np.frombuffer(blob, dtype="<u8").astype(object)


def load_layer(files: dict[str, bytes], index: int, lp: dict):
    """(weight codes (MH, MW), thresholds (MH, NTHR) or None) of layer ``index``."""
    d = derived(lp)
    pe, simd, sf, nf, wb = d["PE"], d["SIMD"], d["SF"], d["NF"], d["WBITS"]
    w = np.zeros((d["MH"], d["MW"]), dtype=np.int64)
    mask = (1 << wb) - 1
    for p in range(pe):
        key = f"{index}-{p}-weights"
        if key not in files:
            raise KeyError(f"layer {index}: {key}.bin missing")
        words = _words(files[key], sf * nf, key)
        for tile, word in enumerate(words):
            f, s = divmod(tile, sf)
            row = f * pe + p
            w[row, s * simd:(s + 1) * simd] = [(int(word) >> (i * wb)) & mask for i in range(simd)]
    if d["ACT"] != THR:
        return w, None
    nthr = d["NTHR"]
    t = np.zeros((d["MH"], nthr), dtype=np.int64)
    for p in range(pe):
        key = f"{index}-{p}-thres"
        if key not in files:
            raise KeyError(f"layer {index}: {key}.bin missing")
        words = _words(files[key], nf * nthr, key)
        for f in range(nf):
            for i in range(nthr):
                raw = int(words[f * nthr + i])
                if lp.get("FIXTHR"):
                    v = int(mvau.wrap(raw & 0xFFFFFF, 24)) >> 1       # ap_fixed<24,16>, then floor(t/2)
                    lim = 1 << (d["ACCW"] - 1)
                    v = min(max(v, -lim), lim - 1)
                else:
                    v = int(mvau.wrap(raw & 0xFFFF, 16))          # ap_int<16>
                t[f * pe + p, i] = v
    return w, t


def load(source, layers: list[dict]):
    """Every layer's (weights, thresholds) from ``source`` (see :func:`read_source`)."""
    files = read_source(source)
    return [load_layer(files, i, lp) for i, lp in enumerate(layers)]


def pack_layer(index: int, lp: dict, w, t, fixthr_raw=None) -> dict[str, bytes]:
    """The inverse of :func:`load_layer`: BNN-PYNQ's per-PE files of one layer (the fixture
    generator of the tests writes generated parameters through this)."""
    d = derived(lp)
    pe, simd, sf, nf, wb = d["PE"], d["SIMD"], d["SF"], d["NF"], d["WBITS"]
    out = {}
    for p in range(pe):
        words = []
        for tile in range(sf * nf):
            f, s = divmod(tile, sf)
            words.append(mvau.pack(w[f * pe + p, s * simd:(s + 1) * simd], wb))
        out[f"{index}-{p}-weights"] = b"".join(x.to_bytes(8, "little") for x in words)
        if t is not None:
            words = []
            for f in range(nf):
                for i in range(d["NTHR"]):
                    v = int(t[f * pe + p, i])
                    if lp.get("FIXTHR"):
                        v = 2 * v + 1                          # floor((2v+1)/2) == v
                    words.append(v & ((1 << 64) - 1))
            out[f"{index}-{p}-thres"] = b"".join(x.to_bytes(8, "little") for x in words)
    return out


def write_params(outdir, layers, params, npz: str | None = None) -> None:
    """Write ``L-P-weights.bin`` / ``L-P-thres.bin`` (and, given ``npz``, the same bytes as an
    ``.npz`` keyed by file stem, as ../shared/papers holds them)."""
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for i, (lp, (w, t)) in enumerate(zip(layers, params)):
        files.update(pack_layer(i, lp, w, t))
    for k, v in files.items():
        (outdir / f"{k}.bin").write_bytes(v)
    if npz:
        np.savez(outdir / npz, **{k: np.frombuffer(v, dtype=np.uint8) for k, v in files.items()})


def random_params(layers: list[dict], x, seed: int = 1, ternary_weights: bool = True):
    """Generated weights and thresholds that keep every layer's outputs varied on inputs ``x``
    (codes of layer 0); returns (params, per-layer output codes)."""
    rng = np.random.default_rng(seed)
    params, acts = [], []
    act = x
    for lp in layers:
        d = derived(lp)
        w = mvau.random_weights(rng, d, ternary=ternary_weights)
        cols = im2col(act, lp) if lp.get("kind") == "conv" else act
        acc = mvau.accumulate(w, cols.reshape(-1, d["MW"]), d)
        t = mvau.random_thresholds(rng, d, acc) if d["ACT"] == THR else None
        params.append((w, t))
        act = layer_forward(act, lp, w, t)
        acts.append(act)
    return params, acts


# --------------------------------------------------------------------------- forward
def im2col(x, lp: dict) -> np.ndarray:
    """(N, IFM_DIM, IFM_DIM, IFM_CH) codes -> (N, OFM_DIM, OFM_DIM, K*K*IFM_CH) in the sliding
    window's order."""
    k, od = lp["K"], lp["OFM_DIM"]
    x = np.asarray(x)
    cols = [x[:, ky:ky + od, kx:kx + od, :] for ky in range(k) for kx in range(k)]
    return np.concatenate(cols, axis=3)


def maxpool(x, lp: dict) -> np.ndarray:
    """2x2 max-pool of (N, D, D, C) output codes of layer ``lp``."""
    sgn, init = pool_mode(lp)
    v = mvau.signed(x, lp["OBITS"]) if sgn else np.asarray(x)
    n, dim, _, c = v.shape
    v = v.reshape(n, dim // 2, 2, dim // 2, 2, c).max(axis=(2, 4))
    v = np.maximum(v, init)
    return v & ((1 << lp["OBITS"]) - 1)


def layer_forward(act, lp: dict, w, t, pool: bool = True):
    """Output codes of one layer: (N, MW) -> (N, MH) for FC; (N, D, D, C) -> (N, D', D', MH)
    for conv (max-pooled when the layer has POOL and ``pool``)."""
    d = derived(lp)
    if lp.get("kind") == "conv":
        cols = im2col(act, lp)
        n, od = cols.shape[0], cols.shape[1]
        y = mvau.out_codes(mvau.compute(w, cols.reshape(-1, d["MW"]), t, d), d)
        y = y.reshape(n, od, od, d["MH"])
        return maxpool(y, lp) if (lp.get("POOL") and pool) else y
    act = np.asarray(act)
    return mvau.out_codes(mvau.compute(w, act.reshape(act.shape[0], -1), t, d), d)


def forward(layers, params, x, trace: list | None = None):
    """Output codes of the whole network for input codes ``x``; ``trace`` collects every
    layer's outputs (before and after pooling)."""
    act = x
    for i, (lp, (w, t)) in enumerate(zip(layers, params)):
        if lp.get("kind") == "conv" and lp.get("POOL"):
            pre = layer_forward(act, lp, w, t, pool=False)
            act = maxpool(pre, lp)
            if trace is not None:
                trace.append((f"L{i}", pre))
                trace.append((f"L{i}_pool", act))
        else:
            act = layer_forward(act, lp, w, t)
            if trace is not None:
                trace.append((f"L{i}", act))
    return act


# --------------------------------------------------------------------------- inputs and outputs
def mnist_codes(pixels, width: int = 832) -> np.ndarray:
    """(N, 784) MNIST bytes -> (N, width) input bits as BNN-PYNQ's host binarizes them."""
    p = np.asarray(pixels, dtype=np.int64).reshape(len(pixels), -1)
    bits = np.zeros((p.shape[0], width), dtype=np.int64)
    bits[:, :p.shape[1]] = (-1.0 + 2.0 * p / 255.0 >= 0).astype(np.int64)
    return bits


def read_idx_images(path) -> np.ndarray:
    raw = pathlib.Path(path).read_bytes()
    magic, n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in range(0, 16, 4))
    if magic != 2051:
        raise ValueError(f"{path}: not an IDX image file (magic {magic})")
    return np.frombuffer(raw[16:16 + n * rows * cols], dtype=np.uint8).reshape(n, rows * cols)


def cifar_codes(planes) -> np.ndarray:
    """(N, 3, 32, 32) bytes (R, G, B planes) -> (N, 32, 32, 3) ``ap_fixed<8,1>`` codes as
    BNN-PYNQ's host quantizes them (two's complement, 8 bits)."""
    c = np.asarray(planes, dtype=np.int64)
    q = c - 128 + (c >= 128)
    q = np.minimum(q, 127)
    return np.transpose(q, (0, 2, 3, 1)) & 0xFF


def read_cifar_bin(path) -> tuple[np.ndarray, list[int]]:
    """CIFAR-10 binary records (1 label byte + 3,072 pixel bytes) -> (N, 3, 32, 32), labels."""
    raw = pathlib.Path(path).read_bytes()
    n = len(raw) // 3073
    if n == 0 or len(raw) % 3073:
        raise ValueError(f"{path}: {len(raw)} bytes is not a whole number of 3,073-byte records")
    recs = np.frombuffer(raw, dtype=np.uint8).reshape(n, 3073)
    return recs[:, 1:].reshape(n, 3, 32, 32), [int(v) for v in recs[:, 0]]


def image_to_cifar(path) -> np.ndarray:
    """BNN-PYNQ's ``CnvClassifier.image_to_cifar``: thumbnail to fit 32x32 (antialiased), pasted
    centred on a white transparent RGBA background; returns the (3, 32, 32) R, G, B planes."""
    from PIL import Image

    img = Image.open(path)
    img.thumbnail((32, 32), Image.LANCZOS)       # ANTIALIAS in the Pillow BNN-PYNQ used
    background = Image.new("RGBA", (32, 32), (255, 255, 255, 0))
    background.paste(img, (int((32 - img.size[0]) / 2), int((32 - img.size[1]) / 2)))
    a = np.array(background)
    return np.stack([a[:, :, 0], a[:, :, 1], a[:, :, 2]])


def lfc_decode(out_bits, classes: int = 10) -> tuple[int, list[int]]:
    """(class, the class bits) as BNN-PYNQ's host reads the LFC's 64 output bits."""
    bits = [int(b) & 1 for b in np.asarray(out_bits).reshape(-1)[:classes]]
    word = sum(b << i for i, b in enumerate(bits))
    return (0 if word == 0 else int(round(math.log2(word)))), bits


def cnv_decode(out_codes, classes: int = 10) -> tuple[int, list[int]]:
    """(class, scores): the first ``classes`` 16-bit outputs as ``ap_int<16>``, first maximum."""
    scores = [int(v) for v in mvau.signed(np.asarray(out_codes).reshape(-1)[:classes], 16)]
    return int(np.argmax(scores)), scores


def cycles_bound(layers) -> int:
    """The folding bound: the slowest layer's SF*NF cycles times its output pixels."""
    worst = 0
    for lp in layers:
        c = derived(lp)["SF"] * derived(lp)["NF"]
        if lp.get("kind") == "conv":
            c *= lp["OFM_DIM"] ** 2
        worst = max(worst, c)
    return worst


@dataclass(frozen=True)
class Top:
    """A network top of MVAU layers (cores/lfc, cores/cnv): its parameters' defaults, the
    function that makes its layers, and what every such model derives from the two."""
    prog: str
    defaults: dict
    layer_params: Callable[[dict], list[dict]]

    def start(self, params: dict) -> tuple[dict, list[dict]]:
        """(the parameters with the defaults, the layers): how every case begins."""
        p = mvau.merged(self.defaults, params)
        return p, self.layer_params(p)

    def cycles_per_item(self, params: dict) -> int:
        return cycles_bound(self.layer_params(params))

    def check(self, params: dict) -> None:
        """Every geometry and folding number >= 1, and layers that fit together."""
        p = mvau.merged(self.defaults, _cli.known(self.defaults, params))
        _cli.at_least(p, 1, self.defaults)
        self.layer_params(p)

    def main(self, argv, write_vectors) -> int:
        return _cli.main(argv, prog=self.prog, names=self.defaults, write_vectors=write_vectors,
                         cycles_per_item=self.cycles_per_item, check=self.check)


# --------------------------------------------------------------------------- RTL files
def write_roms(outdir, layers, params) -> None:
    """``l<i>_weights.hex`` / ``l<i>_thresh.hex`` of every layer (the MVAU ROM layout)."""
    outdir = pathlib.Path(outdir)
    for i, (lp, (w, t)) in enumerate(zip(layers, params)):
        d = derived(lp)
        mvau.write_lines(outdir / f"l{i}_weights.hex", mvau.pack_weights(w, d))
        mvau.write_lines(outdir / f"l{i}_thresh.hex", mvau.pack_params(t, d))


def write_streams(outdir, x, lanes_in: int, bits_in: int, y, lanes_out: int, bits_out: int) -> None:
    """``in.txt`` (item count, then beats of ``lanes_in`` lanes) and ``exp.txt``; ``x`` and ``y``
    are codes, one row per item, in stream order."""
    outdir = pathlib.Path(outdir)
    x = np.asarray(x).reshape(len(x), -1)
    y = np.asarray(y).reshape(len(y), -1)
    mvau.write_lines(outdir / "in.txt", [str(len(x))] + mvau.stream_lines(x, bits_in, lanes_in))
    mvau.write_lines(outdir / "exp.txt", mvau.stream_lines(y, bits_out, lanes_out))
