//! Runs the fuzz targets' entry functions on a few hundred generated and mutated inputs, so
//! `cargo test` exercises the same code paths as `cargo +nightly fuzz run`.

use trailcheck_logs::fuzzing::{digest_parse, gzip_hash};
use trailcheck_logs::testing::{gzip, Corpus, CorpusBuilder};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let cut = rng.below(data.len());
                data.truncate(cut);
            }
            2 => {
                let i = rng.below(data.len() + 1);
                data.insert(i, rng.next() as u8);
            }
            3 if !data.is_empty() => {
                let i = rng.below(data.len());
                data.remove(i);
            }
            4 => {
                let extra: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                data.extend_from_slice(&extra);
            }
            _ if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = b"{}[]\":,0nulltrue"[rng.below(16)];
            }
            _ => {}
        }
    }
    data
}

fn seeds(corpus: &Corpus) -> Vec<Vec<u8>> {
    let digest_json = serde_json::to_vec(&corpus.digests[2].json).unwrap();
    vec![
        corpus.read_object(&corpus.digests[2].key).unwrap(),
        corpus.read_object(&corpus.logs[0]).unwrap(),
        gzip(&digest_json),
        digest_json,
        gzip(b""),
        Vec::new(),
    ]
}

#[test]
fn fuzz_entry_points_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = CorpusBuilder::new(dir.path())
        .hours(3)
        .records_per_log(3)
        .build()
        .unwrap();
    let seeds = seeds(&corpus);
    // The seeds themselves parse / hash.
    digest_parse(&seeds[0]);
    gzip_hash(&seeds[1]);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..600 {
        let input = if round % 10 == 9 {
            (0..rng.below(200)).map(|_| rng.next() as u8).collect()
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, seed)
        };
        digest_parse(&input);
        gzip_hash(&input);
        // Mutated JSON, gzipped properly, reaches the parser past the gzip layer.
        digest_parse(&gzip(&input));
    }
}
