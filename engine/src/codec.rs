//! A chunk of trials as one flat byte buffer, to cross a worker boundary as a
//! single transferred `ArrayBuffer` (no per-number encoding, no copy of the
//! buffer on the way). Little-endian, every value's bits kept: a chunk decoded
//! on the page is the chunk the worker ran.
//!
//! Layout: the magic `FSC1`, then each field in declaration order; a list is
//! its length (u64) and its items. Decoding checks every length against what
//! is left, so a damaged buffer is an error, never a panic or a huge allocation.

use crate::histogram::LogHistogram;
use crate::outcome::{Chunk, PlanChunk, StageTotals};

const MAGIC: &[u8; 4] = b"FSC1";

/// Why a buffer is not a chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a chunk of trials: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn u128(&mut self, x: u128) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn f64s(&mut self, xs: &[f64]) {
        self.u64(xs.len() as u64);
        for x in xs {
            self.0.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    fn u64s(&mut self, xs: &[u64]) {
        self.u64(xs.len() as u64);
        for &x in xs {
            self.u64(x);
        }
    }
    fn u32s(&mut self, xs: &[u32]) {
        self.u64(xs.len() as u64);
        for x in xs {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(DecodeError("ends early"))?;
        self.0 = rest;
        Ok(*head)
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    fn u128(&mut self) -> Result<u128, DecodeError> {
        self.take::<16>().map(u128::from_le_bytes)
    }
    /// A list's length, checked against the bytes left for `size`-byte items.
    fn len(&mut self, size: usize) -> Result<usize, DecodeError> {
        let n = self.u64()?;
        if n > (self.0.len() / size) as u64 {
            return Err(DecodeError("a list is longer than the buffer"));
        }
        Ok(n as usize)
    }
    fn f64s(&mut self) -> Result<Vec<f64>, DecodeError> {
        let n = self.len(8)?;
        (0..n)
            .map(|_| {
                self.take::<8>()
                    .map(|b| f64::from_bits(u64::from_le_bytes(b)))
            })
            .collect()
    }
    fn u64s(&mut self) -> Result<Vec<u64>, DecodeError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    fn u32s(&mut self) -> Result<Vec<u32>, DecodeError> {
        let n = self.len(4)?;
        (0..n)
            .map(|_| self.take::<4>().map(u32::from_le_bytes))
            .collect()
    }
}

/// The bytes a trial takes in a chunk's encoding (and about as much in a
/// `Chunk`), besides the bounded attainment sample and histograms: what a
/// holder of many trials budgets its memory by.
pub fn bytes_per_trial(months: usize, plans: usize) -> u64 {
    (8 * (6 + months) + 28 * plans) as u64
}

impl Chunk {
    /// The chunk as bytes (see the module's layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let per_trial = bytes_per_trial(self.months, self.plans.len());
        let mut w = Writer(Vec::with_capacity(64 + self.len() * per_trial as usize));
        w.0.extend_from_slice(MAGIC);
        w.u64(self.start);
        w.u64(self.months as u64);
        w.f64s(&self.revenue);
        w.u64s(&self.won);
        w.u64s(&self.lost);
        w.u64s(&self.leads);
        w.u64s(&self.open_end);
        w.f64s(&self.month_revenue);
        w.f64s(&self.pipeline_weighted);
        w.u64(self.stages.len() as u64);
        for t in &self.stages {
            for x in [
                t.entered,
                t.advanced,
                t.lost,
                t.open_end,
                t.full_weeks,
                t.waiting,
            ] {
                w.u128(x);
            }
        }
        w.u64(self.plans.len() as u64);
        for p in &self.plans {
            w.f64s(&p.revenue);
            w.f64s(&p.comp_cost);
            w.f64s(&p.spif);
            w.u32s(&p.at_quota);
            w.f64s(&p.attainment);
            let (zeros, first, counts, total) = p.attainment_histogram.parts();
            w.u64(zeros);
            w.u64(first as u64);
            w.u64s(counts);
            w.u64(total);
        }
        w.0
    }

    /// Reads what `to_bytes` wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Chunk, DecodeError> {
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or(DecodeError("no FSC1 header"))?;
        let mut r = Reader(rest);
        let start = r.u64()?;
        let months = usize::try_from(r.u64()?).map_err(|_| DecodeError("months"))?;
        let revenue = r.f64s()?;
        let won = r.u64s()?;
        let lost = r.u64s()?;
        let leads = r.u64s()?;
        let open_end = r.u64s()?;
        let month_revenue = r.f64s()?;
        let pipeline_weighted = r.f64s()?;
        let stages = (0..r.len(96)?)
            .map(|_| {
                Ok(StageTotals {
                    entered: r.u128()?,
                    advanced: r.u128()?,
                    lost: r.u128()?,
                    open_end: r.u128()?,
                    full_weeks: r.u128()?,
                    waiting: r.u128()?,
                })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        // A plan takes at least its seven lengths and three numbers.
        let plans = (0..r.len(80)?)
            .map(|_| {
                Ok(PlanChunk {
                    revenue: r.f64s()?,
                    comp_cost: r.f64s()?,
                    spif: r.f64s()?,
                    at_quota: r.u32s()?,
                    attainment: r.f64s()?,
                    attainment_histogram: {
                        let zeros = r.u64()?;
                        let first =
                            u32::try_from(r.u64()?).map_err(|_| DecodeError("histogram bucket"))?;
                        let counts = r.u64s()?;
                        let total = r.u64()?;
                        LogHistogram::from_parts(zeros, first, counts, total)
                            .ok_or(DecodeError("histogram counts do not add up"))?
                    },
                })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        if !r.0.is_empty() {
            return Err(DecodeError("bytes left over"));
        }
        let n = revenue.len();
        let per_trial = [won.len(), lost.len(), leads.len(), open_end.len()];
        if per_trial.iter().any(|&k| k != n)
            || pipeline_weighted.len() != n
            || month_revenue.len() != n.saturating_mul(months)
            || plans.iter().any(|p| {
                [
                    p.revenue.len(),
                    p.comp_cost.len(),
                    p.spif.len(),
                    p.at_quota.len(),
                ]
                .iter()
                .any(|&k| k != n)
            })
        {
            return Err(DecodeError("per-trial lists of different lengths"));
        }
        Ok(Chunk {
            start,
            months,
            revenue,
            won,
            lost,
            leads,
            open_end,
            month_revenue,
            stages,
            plans,
            pipeline_weighted,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Scenario, Simulation};

    fn team_chunk() -> crate::Chunk {
        let s = Scenario::from_json(include_str!("../../scenarios/team-50-reps.json")).unwrap();
        Simulation::new(&s, 120, 3).unwrap().run_chunk(40..97)
    }

    #[test]
    fn a_chunk_reads_back_as_itself() {
        let chunk = team_chunk();
        assert!(!chunk.plans.is_empty());
        let bytes = chunk.to_bytes();
        assert_eq!(crate::Chunk::from_bytes(&bytes).unwrap(), chunk);
    }

    #[test]
    fn damaged_buffers_are_errors_not_panics() {
        let bytes = team_chunk().to_bytes();
        for cut in [0, 3, 4, 11, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                crate::Chunk::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(crate::Chunk::from_bytes(&longer).is_err());
        // A length field claiming more than the buffer holds.
        let mut huge = bytes;
        huge[20..28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(crate::Chunk::from_bytes(&huge).is_err());
    }
}
