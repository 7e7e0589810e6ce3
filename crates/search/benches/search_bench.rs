//! Search benchmark: generates posts deterministically (Japanese and
//! English, 1,000,000 by default), indexes them on disk, then runs a fixed
//! mix of queries and prints the indexing rate, query latency percentiles
//! and the index size. Figures, not assertions.
//!
//!     cargo bench -p tsunagari-search --bench search_bench
//!
//! Environment: `SEARCH_BENCH_CORPUS` (`zipfian`, the default: word
//! frequencies as in real text; `uniform`: the stress case where every
//! topic word is as common as any other), `SEARCH_BENCH_DOCS` (how many
//! posts, default 1000000), `SEARCH_BENCH_ROUNDS` (rounds of the query mix,
//! default 50), `SEARCH_BENCH_DICTIONARY` (`0` for bigrams alone; by default
//! Debian's IPADIC is used when installed), `SEARCH_BENCH_DIR` (where the
//! index and the compiled dictionary go; default a temporary folder) with
//! `SEARCH_BENCH_REUSE=1` (keep an index of the same corpus and size from an
//! earlier run and time the queries alone).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::search::{Audience, DocKey, DocType, SearchDocument, SearchRequest};
use tsunagari_search::{DEBIAN_IPADIC, IndexConfig, IndexState, Morphology, SearchIndex, snippet};

/// The topic words, from the most to the least common in everyday Japanese
/// writing (our judgement): the Zipfian corpus gives them ranks in this
/// order, the uniform one ignores it.
const JA_WORDS: &[&str] = &[
    "仕事",
    "相談",
    "地域",
    "上司",
    "チーム",
    "働き方",
    "同僚",
    "悩み",
    "評価",
    "転職",
    "研修",
    "子育て",
    "営業",
    "資格",
    "キャリア",
    "東京都",
    "大阪",
    "北海道",
    "京都",
    "福岡",
    "地元",
    "面談",
    "両立",
    "賃金",
    "看護",
    "保育",
    "介護",
    "デザイン",
    "エンジニア",
    "マネジメント",
    "コミュニティ",
    "経理",
    "勉強会",
    "交流会",
    "起業",
    "ボランティア",
    "時短",
    "在宅勤務",
    "労働時間",
    "副業",
    "育休",
    "組合",
    "新潟",
    "夜勤",
    "移住",
    "給付",
    "復職",
    "学び直し",
    "腰痛",
    "職業訓練",
    "リスキリング",
    "Uターン",
    "アルムナイ",
    "協同労働",
];
const JA_GLUE: &[&str] = &[
    "の",
    "を",
    "に",
    "で",
    "と",
    "が",
    "は",
    "について",
    "から",
    "まで",
];
const JA_ENDINGS: &[&str] = &[
    "話しましょう。",
    "相談です。",
    "考えています。",
    "始めました。",
    "教えてください。",
    "共有します。",
];
/// English topic words, most common first (as `JA_WORDS`).
const EN_WORDS: &[&str] = &[
    "job",
    "team",
    "support",
    "change",
    "hours",
    "meeting",
    "local",
    "community",
    "learning",
    "training",
    "skills",
    "career",
    "leave",
    "side",
    "network",
    "research",
    "care",
    "workers",
    "design",
    "salary",
    "interview",
    "remote",
    "engineer",
    "region",
    "benefit",
    "union",
    "mentor",
    "volunteer",
    "startup",
    "workshop",
    "parental",
    "returning",
    "designers",
    "nursing",
    "childcare",
    "mentoring",
    "volunteering",
    "alumni",
    "coop",
];

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

/// Common kanji and kana from which the Zipfian corpus builds the rest of
/// its vocabulary: thousands of two-kanji words and katakana words beside
/// the topic words, as real posts have.
const KANJI: &str = "日本人大年出中子学生会社事業時間自分手方地国同場行長者力話前後新高円家今明山川田市内外民政部議員活動物発作品見所期電気性意合化現実用理体制度法強問題情報経済産声計画目的関係結果開始終";
const KATAKANA: &[&str] = &[
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ",
    "チ", "ツ", "テ", "ト", "ナ", "ニ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム",
    "メ", "モ", "ラ", "リ", "ル", "レ", "ロ", "ン", "ー", "ジ", "グ", "ド", "ブ", "パ",
];
const LATIN_ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr",
    "pl", "gr",
];
const LATIN_VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou"];
const LATIN_CODAS: &[&str] = &["", "n", "r", "s", "t"];

/// Which generated posts a run indexes.
#[derive(Clone, Copy, PartialEq)]
enum CorpusKind {
    /// Word frequencies as in real text: Zipf's law over a vocabulary of
    /// about 6,500 Japanese and 4,000 English words, the topic words among
    /// them from rank 8 (仕事, job) to rank 2,500 (協同労働, coop).
    Zipfian,
    /// The stress case: the topic words alone, each as likely as any other,
    /// so that every one-word query matches about a fifth of all posts.
    Uniform,
}

impl CorpusKind {
    fn parse(name: &str) -> Option<CorpusKind> {
        match name {
            "zipfian" => Some(CorpusKind::Zipfian),
            "uniform" => Some(CorpusKind::Uniform),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            CorpusKind::Zipfian => "zipfian",
            CorpusKind::Uniform => "uniform",
        }
    }
}

/// A vocabulary and the cumulative share of each word under Zipf's law.
struct Zipf {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    /// `topic` takes ranks spread evenly on a log scale between `first` and
    /// `last` (most common first); `filler` fills the other ranks.
    fn new(topic: &[&str], filler: Vec<String>, first: f64, last: f64) -> Zipf {
        let size = topic.len() + filler.len();
        let mut slots: Vec<Option<String>> = vec![None; size];
        for (i, word) in topic.iter().enumerate() {
            let share = i as f64 / (topic.len() - 1) as f64;
            let mut rank = (first * (last / first).powf(share)).round() as usize;
            while slots[rank].is_some() {
                rank += 1;
            }
            slots[rank] = Some((*word).to_owned());
        }
        let mut filler = filler.into_iter();
        let words: Vec<String> = slots
            .into_iter()
            .map(|slot| slot.unwrap_or_else(|| filler.next().expect("enough filler words")))
            .collect();
        let mut total = 0.0;
        let mut cumulative: Vec<f64> = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        for c in &mut cumulative {
            *c /= total;
        }
        Zipf { words, cumulative }
    }

    fn draw<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let i = self.cumulative.partition_point(|c| *c < u);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// `count` distinct generated words, none of them a topic word.
fn generate_words(
    rng: &mut Rng,
    count: usize,
    topic: &[&str],
    mut make: impl FnMut(&mut Rng) -> String,
) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> =
        topic.iter().map(|w| (*w).to_owned()).collect();
    let mut words = Vec::with_capacity(count);
    while words.len() < count {
        let word = make(rng);
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

struct Vocabularies {
    japanese: Zipf,
    english: Zipf,
}

fn zipfian_vocabularies() -> Vocabularies {
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let kanji: Vec<char> = KANJI.chars().collect();
    let mut japanese = generate_words(&mut rng, 5_000, JA_WORDS, |rng| {
        [kanji[rng.below(kanji.len())], kanji[rng.below(kanji.len())]]
            .iter()
            .collect()
    });
    japanese.extend(generate_words(&mut rng, 1_500, JA_WORDS, |rng| {
        (0..3 + rng.below(3)).map(|_| rng.pick(KATAKANA)).collect()
    }));
    // Mix the two kinds so that neither takes all the common ranks.
    for i in (1..japanese.len()).rev() {
        japanese.swap(i, rng.below(i + 1));
    }
    let english = generate_words(&mut rng, 4_000, EN_WORDS, |rng| {
        let syllables: String = (0..2 + rng.below(2))
            .map(|_| format!("{}{}", rng.pick(LATIN_ONSETS), rng.pick(LATIN_VOWELS)))
            .collect();
        syllables + rng.pick(LATIN_CODAS)
    });
    Vocabularies {
        japanese: Zipf::new(JA_WORDS, japanese, 8.0, 2_500.0),
        english: Zipf::new(EN_WORDS, english, 8.0, 2_500.0),
    }
}

/// The generator of one corpus.
struct Corpus {
    kind: CorpusKind,
    vocabularies: Vocabularies,
}

impl Corpus {
    fn new(kind: CorpusKind) -> Corpus {
        Corpus {
            kind,
            vocabularies: zipfian_vocabularies(),
        }
    }

    fn japanese_word<'a>(&'a self, rng: &mut Rng) -> &'a str {
        match self.kind {
            CorpusKind::Zipfian => self.vocabularies.japanese.draw(rng),
            CorpusKind::Uniform => rng.pick(JA_WORDS),
        }
    }

    fn english_word<'a>(&'a self, rng: &mut Rng) -> &'a str {
        match self.kind {
            CorpusKind::Zipfian => self.vocabularies.english.draw(rng),
            CorpusKind::Uniform => rng.pick(EN_WORDS),
        }
    }

    fn japanese_sentence(&self, rng: &mut Rng) -> String {
        let mut s = String::new();
        for _ in 0..2 + rng.below(4) {
            s.push_str(self.japanese_word(rng));
            s.push_str(rng.pick(JA_GLUE));
        }
        s.push_str(self.japanese_word(rng));
        s.push_str(rng.pick(JA_ENDINGS));
        s
    }

    fn english_sentence(&self, rng: &mut Rng) -> String {
        let n = 5 + rng.below(8);
        let words: Vec<&str> = (0..n).map(|_| self.english_word(rng)).collect();
        let mut s = words.join(" ");
        s.push('.');
        s
    }

    /// Post `id`, the same every run.
    fn post(&self, id: u64) -> SearchDocument {
        let mut rng = Rng(id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let english = rng.below(10) < 3;
        let sentence = |rng: &mut Rng| {
            if english {
                self.english_sentence(rng)
            } else {
                self.japanese_sentence(rng)
            }
        };
        let title: String = sentence(&mut rng).chars().take(40).collect();
        let body: Vec<String> = (0..2 + rng.below(5)).map(|_| sentence(&mut rng)).collect();
        let community = 1 + rng.below(2000) as i64;
        let doc_type = if rng.below(4) == 0 {
            DocType::Reply
        } else {
            DocType::Thread
        };
        let posted = Utc
            .timestamp_opt(1_700_000_000 + (id as i64 % 60_000_000), 0)
            .unwrap();
        SearchDocument {
            key: DocKey::numeric(doc_type, id as i64),
            title,
            alt_title: None,
            body: body.join(""),
            context: format!("コミュニティ{community}"),
            url: format!("/threads/{id}"),
            community: Some(CommunityId(community)),
            kind: Some(CommunityKind::ALL[community as usize % 6]),
            prefecture: Prefecture::parse(&format!("{:02}", 1 + community % 47)),
            tags: Vec::new(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: Some(posted),
            // One community in ten is members-only.
            audience: if community % 10 == 0 {
                Audience::Members(CommunityId(community))
            } else {
                Audience::Public
            },
            members: 0,
            active_at: Some(posted),
        }
    }
}

fn queries() -> Vec<SearchRequest> {
    let mut mix: Vec<SearchRequest> = [
        "介護",
        "育休",
        "副業",
        "キャリア",
        "新潟 転職",
        "UX",
        "design",
        "volunteer",
        "community workshop",
        "子育て 両立",
        "京都",
        "アルムナイ",
        "エンジニア 研修",
        "remote",
        "組合",
        "資格 相談",
        "地域 交流会",
        "リスキリング",
        "parental leave",
        "ｷｬﾘｱ",
        "夢",
        "desgin",
    ]
    .iter()
    .map(|q| SearchRequest::words(q))
    .collect();
    let mut threads_only = SearchRequest::words("介護 相談");
    threads_only.doc_type = Some(DocType::Thread);
    let mut in_niigata = SearchRequest::words("転職");
    in_niigata.prefecture = Prefecture::parse("15");
    let mut union = SearchRequest::words("賃金");
    union.kind = Some(CommunityKind::Union);
    let mut third_page = SearchRequest::words("仕事");
    third_page.page = 3;
    mix.extend([threads_only, in_niigata, union, third_page]);
    mix
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let docs: u64 = std::env::var("SEARCH_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rounds: usize = std::env::var("SEARCH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let corpus_kind = match std::env::var("SEARCH_BENCH_CORPUS") {
        Ok(name) => CorpusKind::parse(&name).expect("SEARCH_BENCH_CORPUS is zipfian or uniform"),
        Err(_) => CorpusKind::Zipfian,
    };
    let corpus = Corpus::new(corpus_kind);
    let temporary = tempfile::tempdir().expect("a temporary folder");
    let dir = std::env::var("SEARCH_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| temporary.path().to_owned());
    let source = PathBuf::from(DEBIAN_IPADIC);
    let want_dictionary = std::env::var("SEARCH_BENCH_DICTIONARY").as_deref() != Ok("0");
    let morphology = if want_dictionary && Morphology::source_exists(&source) {
        Some(
            Morphology::prepare(&source, &dir.join("dictionary")).expect("the dictionary compiles"),
        )
    } else {
        None
    };
    let config = IndexConfig {
        dir: Some(dir.join(format!("index-{}", corpus_kind.name()))),
        morphology: morphology.clone(),
        writer_memory: 400_000_000,
        writer_threads: 2,
    };
    let index = SearchIndex::open(&config).expect("index opens");
    println!(
        "search benchmark: {docs} generated posts, {} corpus, mode {}",
        corpus_kind.name(),
        index.mode()
    );

    // SEARCH_BENCH_REUSE=1 with SEARCH_BENCH_DIR keeps an index of the same
    // size from an earlier run and measures the queries alone.
    let reuse =
        std::env::var("SEARCH_BENCH_REUSE").as_deref() == Ok("1") && index.num_docs() == docs;
    if reuse {
        println!(
            "indexing: skipped, reusing the {docs} posts already in {}",
            dir.display()
        );
    }
    let started = Instant::now();
    let batch = 10_000u64;
    let mut next = if reuse { docs } else { 0 };
    while next < docs {
        let end = (next + batch).min(docs);
        let documents: Vec<SearchDocument> = (next..end).map(|id| corpus.post(id)).collect();
        index.add_new(&documents).expect("documents added");
        next = end;
    }
    index
        .commit(IndexState {
            watermark: 0,
            complete: true,
        })
        .expect("commit");
    let indexed = started.elapsed();
    index.wait_merging().expect("merges finish");
    let settled = started.elapsed();
    let index = SearchIndex::open(&IndexConfig {
        writer_memory: 0,
        writer_threads: 1,
        ..config
    })
    .expect("index reopens");
    let size = index.size_on_disk();
    if !reuse {
        println!(
            "indexing: {docs} posts in {:.1} s ({:.0} posts/s); merged and settled after {:.1} s",
            indexed.as_secs_f64(),
            docs as f64 / indexed.as_secs_f64(),
            settled.as_secs_f64()
        );
    }
    println!("segments: {}", index.segment_count());
    println!(
        "index size: {:.1} MiB ({} documents)",
        size as f64 / (1024.0 * 1024.0),
        index.num_docs()
    );

    let mix = queries();
    // A member of three members-only communities.
    let member_of = [CommunityId(10), CommunityId(20), CommunityId(30)];
    let now = Utc::now();
    // Warm up (page cache, first use of every term).
    for request in &mix {
        index
            .search(request, &member_of, now, request.offset(), 10)
            .expect("search");
    }
    let mut latencies = Vec::with_capacity(rounds * mix.len());
    let mut totals = vec![0usize; mix.len()];
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); mix.len()];
    for _ in 0..rounds {
        for (i, request) in mix.iter().enumerate() {
            let t = Instant::now();
            let hits = index
                .search(request, &member_of, now, request.offset(), 10)
                .expect("search");
            // What a results page does besides: a snippet for each hit.
            for hit in &hits.hits {
                let id: u64 = hit.key.id.parse().expect("numeric id");
                let _ = snippet(&corpus.post(id).body, &request.text, 160);
            }
            latencies.push(t.elapsed());
            per_query[i].push(t.elapsed());
            totals[i] = hits.total;
        }
    }
    latencies.sort();
    println!(
        "queries: {} ({} rounds of {} queries), latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        rounds,
        mix.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    for ((request, total), times) in mix.iter().zip(&totals).zip(&mut per_query) {
        times.sort();
        println!(
            "  {:<24} {total:>7} results, median {:.2} ms",
            format!("{:?}", request.text),
            ms(percentile(times, 0.5))
        );
    }
    // "Did you mean" runs only when nothing is found; timed on its own.
    let typo = SearchRequest::words("desgin");
    let t = Instant::now();
    let suggestion = index.suggest(&typo, &member_of).expect("suggest");
    println!(
        "did you mean for \"desgin\": {suggestion:?} in {:.2} ms",
        ms(t.elapsed())
    );
}
