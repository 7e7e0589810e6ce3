//! A small corpus and the dictionary, shared by the search tests.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{Duration, Utc};
use tsunagari_domain::Timestamp;
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::search::{Audience, DocKey, DocType, EventFormat, SearchDocument};
use tsunagari_search::{DEBIAN_IPADIC, IndexConfig, IndexState, Morphology, SearchIndex};

/// The dictionary compiled once per test run into the target folder
/// (shared by every test binary through its version marker). `None` when
/// Debian's mecab-ipadic is not installed; with TSUNAGARI_REQUIRE_ALL=1
/// that is a failure.
pub fn morphology() -> Option<Morphology> {
    static LOADED: OnceLock<Option<Morphology>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let source = std::env::var("TSUNAGARI_TEST_IPADIC")
                .map(PathBuf::from)
                .unwrap_or_else(|_| PathBuf::from(DEBIAN_IPADIC));
            if !Morphology::source_exists(&source) {
                assert!(
                    std::env::var("TSUNAGARI_REQUIRE_ALL").as_deref() != Ok("1"),
                    "mecab-ipadic is not installed at {} (apt-get install mecab-ipadic)",
                    source.display()
                );
                eprintln!(
                    "SKIPPED: dictionary mode — mecab-ipadic not found at {}",
                    source.display()
                );
                return None;
            }
            let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-dictionary");
            Some(Morphology::prepare(&source, &cache).expect("the dictionary compiles"))
        })
        .clone()
}

pub fn now() -> Timestamp {
    Utc::now()
}

pub fn base(doc_type: DocType, id: i64, title: &str, body: &str) -> SearchDocument {
    SearchDocument {
        key: DocKey::numeric(doc_type, id),
        title: title.to_owned(),
        alt_title: None,
        body: body.to_owned(),
        context: String::new(),
        url: format!("/{}/{id}", doc_type.as_str()),
        community: Some(CommunityId(1)),
        kind: Some(CommunityKind::Professional),
        prefecture: None,
        tags: Vec::new(),
        format: None,
        starts_at: None,
        ends_at: None,
        posted_at: Some(now() - Duration::days(3)),
        audience: Audience::Public,
        members: 0,
        active_at: Some(now() - Duration::days(3)),
    }
}

pub fn community(id: i64, title: &str, body: &str) -> SearchDocument {
    let mut doc = base(DocType::Community, id, title, body);
    doc.community = Some(CommunityId(id));
    doc.posted_at = None;
    doc
}

pub fn thread(id: i64, title: &str, body: &str) -> SearchDocument {
    base(DocType::Thread, id, title, body)
}

pub fn event(id: i64, title: &str, body: &str, starts_in_days: i64) -> SearchDocument {
    let mut doc = base(DocType::Event, id, title, body);
    let start = now() + Duration::days(starts_in_days);
    doc.starts_at = Some(start);
    doc.ends_at = Some(start + Duration::hours(2));
    doc.format = Some(EventFormat {
        online: true,
        in_person: false,
    });
    doc
}

/// The corpus the query list runs against.
pub fn corpus() -> Vec<SearchDocument> {
    let mut care = community(
        1,
        "介護のみらいカフェ",
        "介護職どうしで夜勤や腰痛の悩みを話す対話の場です。",
    );
    care.tags = vec!["介護".into(), "福祉".into()];
    care.context = care.tags.join(" ");
    care.prefecture = Prefecture::parse("13");
    care.members = 40;
    let mut niigata = community(
        3,
        "新潟UIターン応援ネット",
        "新潟へのUターン・Iターンを応援します。",
    );
    niigata.kind = Some(CommunityKind::RegionalAlumni);
    niigata.prefecture = Prefecture::parse("15");
    let mut ux = community(
        5,
        "UXデザイナーの勉強会",
        "UX research and design for designers.",
    );
    ux.tags = vec!["デザイン".into()];
    ux.context = "デザイン".into();
    let mut alumni = community(
        7,
        "企業アルムナイ・ネットワーク",
        "元社員同士がつながるアルムナイの会です。",
    );
    alumni.kind = Some(CommunityKind::CorporateAlumni);
    let mut scheme = base(
        DocType::PublicScheme,
        0,
        "教育訓練給付",
        "働く人の主体的な能力開発を支援します。\nSupports workers' own skill development.",
    );
    scheme.key = DocKey {
        doc_type: DocType::PublicScheme,
        id: "education-training-benefit".into(),
    };
    scheme.alt_title = Some("Education and Training Benefit".into());
    scheme.community = None;
    scheme.kind = None;
    scheme.posted_at = None;
    let mut union = thread(
        13,
        "労働組合に入るメリット",
        "ユニオンで団体交渉をする仕組み",
    );
    union.kind = Some(CommunityKind::Union);
    vec![
        care,
        thread(
            2,
            "育休から職場復帰するときの準備",
            "男性の育休取得について話しましょう。",
        ),
        niigata,
        thread(
            4,
            "副業を始めたい",
            "本業と副業の両立、確定申告の相談です。",
        ),
        ux,
        thread(
            6,
            "ｷｬﾘｱ相談会のお知らせ",
            "キャリアコンサルタントに無料で相談できます。",
        ),
        alumni,
        thread(8, "京都の町家で交流会", "京都府内の会場で開きます。"),
        thread(9, "東京都の助成金について", "東京都が実施する支援の話。"),
        event(
            10,
            "Career design workshop",
            "Designing your next career step.",
            7,
        ),
        thread(11, "Volunteers wanted", "We need volunteering translators."),
        scheme,
        union,
        thread(14, "腰痛対策", "介護の現場での体の使い方。"),
    ]
}

/// An in-memory index holding `documents`.
pub fn index_of(documents: &[SearchDocument], morphology: Option<Morphology>) -> SearchIndex {
    let index = SearchIndex::open(&IndexConfig {
        dir: None,
        morphology,
        writer_memory: 0,
        writer_threads: 1,
    })
    .expect("index opens");
    index.add_new(documents).unwrap();
    index
        .commit(IndexState {
            watermark: 0,
            complete: true,
        })
        .unwrap();
    index
}

/// The keys a search finds, as `type:id` strings, best first.
pub fn found(index: &SearchIndex, query: &str) -> Vec<String> {
    let request = tsunagari_domain::search::SearchRequest::words(query);
    index
        .search(&request, &[], now(), 0, 50)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.key.to_key_string())
        .collect()
}
