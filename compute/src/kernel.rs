//! The kernels as one typed protocol: what the UI asks for ([`KernelRequest`]),
//! how it is run ([`Strategy`]) and what comes back ([`Output`]). Sizes are
//! checked here, before any memory is allocated, so bad input is refused with
//! a reason instead of crashing a worker.

use serde::{Deserialize, Serialize};

use super::blur::Blur;
use super::control::{Cancelled, Control};
use super::mandelbrot::{self, Mandelbrot};
use super::matmul::MatMul;
use super::primes::{Primes, Split};
use super::sort::Sort;

/// Every kernel of the parallelism lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KernelKind {
    Mandelbrot,
    Matmul,
    Blur,
    Sort,
    Primes,
}

/// The sizes a kernel accepts, with the one the widgets start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRange {
    pub min: usize,
    pub max: usize,
    pub default: usize,
    /// What the size counts, for labels and messages.
    pub unit: &'static str,
}

impl SizeRange {
    /// `size` if it is in range; otherwise a refusal that names `what` and
    /// the accepted range.
    pub fn check(self, what: &str, size: usize) -> Result<usize, String> {
        if (self.min..=self.max).contains(&size) {
            Ok(size)
        } else {
            Err(format!(
                "{what}: size {size} is out of range; choose {} to {} {}",
                self.min, self.max, self.unit
            ))
        }
    }
}

impl KernelKind {
    pub const ALL: [KernelKind; 5] = [
        KernelKind::Mandelbrot,
        KernelKind::Matmul,
        KernelKind::Blur,
        KernelKind::Sort,
        KernelKind::Primes,
    ];

    /// The id used in JSON, URLs and widget parameters.
    pub fn id(self) -> &'static str {
        match self {
            KernelKind::Mandelbrot => "mandelbrot",
            KernelKind::Matmul => "matmul",
            KernelKind::Blur => "blur",
            KernelKind::Sort => "sort",
            KernelKind::Primes => "primes",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            KernelKind::Mandelbrot => "Mandelbrot set",
            KernelKind::Matmul => "Matrix multiply (blocked)",
            KernelKind::Blur => "Image blur",
            KernelKind::Sort => "Merge sort (join)",
            KernelKind::Primes => "Prime count (uneven work)",
        }
    }

    /// Accepted sizes. The maxima keep every buffer under about 100 MB, well
    /// inside the 1 GiB the module may grow to.
    pub fn sizes(self) -> SizeRange {
        match self {
            KernelKind::Mandelbrot => SizeRange {
                min: 16,
                max: 3200,
                default: 800,
                unit: "pixels wide",
            },
            KernelKind::Matmul => SizeRange {
                min: 8,
                max: 1536,
                default: 768,
                unit: "rows and columns",
            },
            KernelKind::Blur => SizeRange {
                min: 16,
                max: 2048,
                default: 768,
                unit: "pixels square",
            },
            KernelKind::Sort => SizeRange {
                min: 1024,
                max: 8 << 20,
                default: 2 << 20,
                unit: "integers",
            },
            KernelKind::Primes => SizeRange {
                min: 1000,
                max: 20_000_000,
                default: 3_000_000,
                unit: "numbers",
            },
        }
    }

    /// The size in words, for tables: "800 x 600 px".
    pub fn describe(self, size: usize) -> String {
        match self {
            KernelKind::Mandelbrot => format!("{size} x {} px", size * 3 / 4),
            KernelKind::Matmul => format!("{size} x {size} f32"),
            KernelKind::Blur => format!("{size} x {size} px"),
            KernelKind::Sort => format!("{size} u32"),
            KernelKind::Primes => format!("n < {size}"),
        }
    }
}

/// A request the UI sends to the pool: which kernel, how big.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelRequest {
    pub kernel: KernelKind,
    pub size: usize,
}

impl KernelRequest {
    /// Refuses a size outside the kernel's range, saying what is accepted.
    pub fn new(kernel: KernelKind, size: usize) -> Result<Self, String> {
        let size = kernel.sizes().check(kernel.label(), size)?;
        Ok(Self { kernel, size })
    }

    /// The kernel's default size.
    pub fn standard(kernel: KernelKind) -> Self {
        Self {
            kernel,
            size: kernel.sizes().default,
        }
    }
}

/// How a run uses the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Plain loops on the calling thread: the baseline every speedup divides.
    Sequential,
    /// rayon's work stealing over the current pool.
    Parallel,
    /// One fixed chunk per thread (only the prime count offers it).
    StaticChunks { chunks: usize },
}

/// A kernel's input, generated deterministically from its request.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Mandelbrot(Mandelbrot),
    Matmul(MatMul),
    Blur(Blur),
    Sort(Sort),
    Primes(Primes),
}

/// What a run computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Counts(Vec<u32>),
    Floats(Vec<f32>),
    Pixels(Vec<u8>),
    Sorted(Vec<u32>),
    Count(u64),
}

/// An RGBA image to draw on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

impl Input {
    /// Builds the input (outside any timing).
    pub fn prepare(request: KernelRequest) -> Self {
        match request.kernel {
            KernelKind::Mandelbrot => Input::Mandelbrot(Mandelbrot::new(request.size)),
            KernelKind::Matmul => Input::Matmul(MatMul::new(request.size)),
            KernelKind::Blur => Input::Blur(Blur::new(request.size)),
            KernelKind::Sort => Input::Sort(Sort::new(request.size)),
            KernelKind::Primes => Input::Primes(Primes::new(request.size as u32)),
        }
    }

    /// Units of work one run records, for progress.
    pub fn units(&self) -> usize {
        match self {
            Input::Mandelbrot(k) => k.units(),
            Input::Matmul(k) => k.units(),
            Input::Blur(k) => k.units(),
            Input::Sort(k) => k.units(),
            Input::Primes(k) => k.units(),
        }
    }

    /// One run. `StaticChunks` means work stealing for kernels that do not offer it.
    pub fn run(&self, strategy: Strategy, control: &Control) -> Result<Output, Cancelled> {
        let parallel = !matches!(strategy, Strategy::Sequential);
        Ok(match self {
            Input::Mandelbrot(k) if parallel => Output::Counts(k.parallel(control)?),
            Input::Mandelbrot(k) => Output::Counts(k.sequential(control)?),
            Input::Matmul(k) if parallel => Output::Floats(k.parallel(control)?),
            Input::Matmul(k) => Output::Floats(k.sequential(control)?),
            Input::Blur(k) if parallel => Output::Pixels(k.parallel(control)?),
            Input::Blur(k) => Output::Pixels(k.sequential(control)?),
            Input::Sort(k) if parallel => Output::Sorted(k.parallel(control)?),
            Input::Sort(k) => Output::Sorted(k.sequential(control)?),
            Input::Primes(k) => Output::Count(match strategy {
                Strategy::Sequential => k.sequential(control)?,
                Strategy::Parallel => k.parallel(Split::WorkStealing, control)?,
                Strategy::StaticChunks { chunks } => {
                    k.parallel(Split::Static { chunks }, control)?
                }
            }),
        })
    }

    /// The picture of a result, for kernels that make one.
    pub fn image(&self, output: &Output) -> Option<Image> {
        match (self, output) {
            (Input::Mandelbrot(k), Output::Counts(counts)) => Some(Image {
                width: k.width,
                height: k.height,
                rgba: mandelbrot::to_rgba(counts),
            }),
            (Input::Blur(k), Output::Pixels(rgba)) => Some(Image {
                width: k.side,
                height: k.side,
                rgba: rgba.clone(),
            }),
            _ => None,
        }
    }

    /// The picture of the input, for kernels that transform one.
    pub fn input_image(&self) -> Option<Image> {
        match self {
            Input::Blur(k) => Some(Image {
                width: k.side,
                height: k.side,
                rgba: k.input.clone(),
            }),
            _ => None,
        }
    }
}

impl Output {
    /// A fingerprint of the result (FNV-1a over its bytes): equal outputs, equal digests.
    pub fn digest(&self) -> u64 {
        let mut hash = Fnv::default();
        match self {
            Output::Counts(v) | Output::Sorted(v) => {
                v.iter().for_each(|x| hash.write(&x.to_le_bytes()))
            }
            Output::Floats(v) => v
                .iter()
                .for_each(|x| hash.write(&x.to_bits().to_le_bytes())),
            Output::Pixels(v) => hash.write(v),
            Output::Count(n) => hash.write(&n.to_le_bytes()),
        }
        hash.0
    }
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_sizes_are_refused_with_the_range() {
        let error = KernelRequest::new(KernelKind::Matmul, 100_000).unwrap_err();
        assert!(error.contains("8 to 1536"), "{error}");
        assert!(KernelRequest::new(KernelKind::Mandelbrot, 0).is_err());
        for kind in KernelKind::ALL {
            let range = kind.sizes();
            assert!(KernelRequest::new(kind, range.default).is_ok());
            assert!(range.min <= range.default && range.default <= range.max);
            assert_eq!(KernelKind::from_id(kind.id()), Some(kind));
        }
    }

    #[test]
    fn every_kernel_gives_the_same_digest_sequentially_and_in_parallel() {
        let pool = crate::test_pool(3);
        for kind in KernelKind::ALL {
            let input = Input::prepare(KernelRequest::new(kind, kind.sizes().min).expect("valid"));
            let control = Control::new();
            let sequential = input
                .run(Strategy::Sequential, &control)
                .expect("not cancelled");
            for strategy in [Strategy::Parallel, Strategy::StaticChunks { chunks: 3 }] {
                let parallel = pool
                    .install(|| input.run(strategy, &control))
                    .expect("not cancelled");
                assert_eq!(
                    parallel.digest(),
                    sequential.digest(),
                    "{kind:?} {strategy:?}"
                );
            }
        }
    }

    #[test]
    fn different_outputs_have_different_digests() {
        assert_ne!(Output::Count(1).digest(), Output::Count(2).digest());
        assert_ne!(
            Output::Floats(vec![0.0]).digest(),
            Output::Floats(vec![-0.0]).digest()
        );
    }

    #[test]
    fn images_come_from_the_image_kernels() {
        let input = Input::prepare(KernelRequest::new(KernelKind::Mandelbrot, 16).expect("valid"));
        let output = input
            .run(Strategy::Sequential, &Control::new())
            .expect("not cancelled");
        let image = input.image(&output).expect("an image");
        assert_eq!(image.rgba.len(), image.width * image.height * 4);
        assert!(Input::prepare(KernelRequest::standard(KernelKind::Primes))
            .input_image()
            .is_none());
    }

    #[test]
    fn requests_serialise_with_kebab_case_ids() {
        let json =
            serde_json::to_string(&KernelRequest::new(KernelKind::Matmul, 64).expect("valid"))
                .expect("json");
        assert_eq!(json, r#"{"kernel":"matmul","size":64}"#);
    }
}
