//! Search benchmark: generates posts deterministically (Japanese and
//! English, 1,000,000 by default), indexes them on disk, then runs a fixed
//! mix of queries and prints the indexing rate, query latency percentiles
//! and the index size. Figures, not assertions.
//!
//!     cargo bench -p tsunagari-search --bench search_bench
//!
//! Environment: `SEARCH_BENCH_DOCS` (how many posts, default 1000000),
//! `SEARCH_BENCH_ROUNDS` (rounds of the query mix, default 50),
//! `SEARCH_BENCH_DICTIONARY` (`0` for bigrams alone; by default Debian's
//! IPADIC is used when installed), `SEARCH_BENCH_DIR` (where the index and
//! the compiled dictionary go; default a temporary folder).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::search::{Audience, DocKey, DocType, SearchDocument, SearchRequest};
use tsunagari_search::{DEBIAN_IPADIC, IndexConfig, IndexState, Morphology, SearchIndex, snippet};

const JA_WORDS: &[&str] = &[
    "介護",
    "育休",
    "副業",
    "キャリア",
    "新潟",
    "転職",
    "研修",
    "資格",
    "相談",
    "地域",
    "仕事",
    "子育て",
    "両立",
    "勉強会",
    "エンジニア",
    "デザイン",
    "組合",
    "協同労働",
    "アルムナイ",
    "交流会",
    "看護",
    "保育",
    "営業",
    "経理",
    "復職",
    "在宅勤務",
    "評価",
    "面談",
    "給付",
    "職業訓練",
    "ボランティア",
    "起業",
    "京都",
    "東京都",
    "大阪",
    "福岡",
    "北海道",
    "学び直し",
    "リスキリング",
    "マネジメント",
    "チーム",
    "悩み",
    "夜勤",
    "腰痛",
    "時短",
    "賃金",
    "労働時間",
    "働き方",
    "同僚",
    "上司",
    "地元",
    "移住",
    "Uターン",
    "コミュニティ",
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
const EN_WORDS: &[&str] = &[
    "career",
    "design",
    "designers",
    "community",
    "workshop",
    "volunteer",
    "volunteering",
    "union",
    "remote",
    "learning",
    "mentor",
    "mentoring",
    "engineer",
    "parental",
    "leave",
    "side",
    "job",
    "training",
    "benefit",
    "alumni",
    "network",
    "coop",
    "meeting",
    "support",
    "change",
    "skills",
    "research",
    "returning",
    "local",
    "region",
    "care",
    "workers",
    "nursing",
    "childcare",
    "startup",
    "interview",
    "salary",
    "hours",
    "team",
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

fn japanese_sentence(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..2 + rng.below(4) {
        s.push_str(rng.pick(JA_WORDS));
        s.push_str(rng.pick(JA_GLUE));
    }
    s.push_str(rng.pick(JA_WORDS));
    s.push_str(rng.pick(JA_ENDINGS));
    s
}

fn english_sentence(rng: &mut Rng) -> String {
    let n = 5 + rng.below(8);
    let words: Vec<&str> = (0..n).map(|_| rng.pick(EN_WORDS)).collect();
    let mut s = words.join(" ");
    s.push('.');
    s
}

/// Post `id`, the same every run.
fn post(id: u64) -> SearchDocument {
    let mut rng = Rng(id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let english = rng.below(10) < 3;
    let sentence = |rng: &mut Rng| {
        if english {
            english_sentence(rng)
        } else {
            japanese_sentence(rng)
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
        dir: Some(dir.join("index")),
        morphology: morphology.clone(),
        writer_memory: 400_000_000,
        writer_threads: 2,
    };
    let index = SearchIndex::open(&config).expect("index opens");
    println!(
        "search benchmark: {docs} generated posts, mode {}",
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
        let documents: Vec<SearchDocument> = (next..end).map(post).collect();
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
                let _ = snippet(&post(id).body, &request.text, 160);
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
