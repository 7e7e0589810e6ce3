//! Filters, permissions, ranking, pagination, suggestions and persistence.

use crate::common;

use chrono::Duration;
use common::{base, community, corpus, event, found, index_of, morphology, now, thread};
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::search::{Audience, DocKey, DocType, EventFormat, SearchRequest};
use tsunagari_search::{IndexConfig, IndexState, SearchIndex};

fn keys(index: &SearchIndex, request: &SearchRequest, member_of: &[CommunityId]) -> Vec<String> {
    index
        .search(request, member_of, now(), 0, 50)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.key.to_key_string())
        .collect()
}

#[test]
fn filters_narrow_by_type_kind_prefecture_tag_format_and_date() {
    let mut docs = corpus();
    let mut in_person = event(20, "介護の勉強会", "会場で開きます", 30);
    in_person.format = Some(EventFormat {
        online: false,
        in_person: true,
    });
    in_person.prefecture = Prefecture::parse("15");
    docs.push(in_person);
    docs.push(event(21, "介護のオンライン相談", "自宅から", 2));
    let index = index_of(&docs, None);

    let mut request = SearchRequest::words("介護");
    request.doc_type = Some(DocType::Event);
    assert_eq!(keys(&index, &request, &[]).len(), 2);

    request.online = Some(true);
    assert_eq!(keys(&index, &request, &[]), vec!["event:21"]);
    request.online = Some(false);
    assert_eq!(keys(&index, &request, &[]), vec!["event:20"]);

    let mut by_prefecture = SearchRequest::words("介護");
    by_prefecture.prefecture = Prefecture::parse("15");
    assert_eq!(keys(&index, &by_prefecture, &[]), vec!["event:20"]);

    let mut by_tag = SearchRequest::words("");
    by_tag.tag = Some("福祉".into());
    assert_eq!(keys(&index, &by_tag, &[]), vec!["community:1"]);
    by_tag.tag = Some("ﾃﾞｻﾞｲﾝ".into());
    assert_eq!(keys(&index, &by_tag, &[]), vec!["community:5"]);

    let mut by_kind = SearchRequest::words("");
    by_kind.kind = Some(CommunityKind::RegionalAlumni);
    assert_eq!(keys(&index, &by_kind, &[]), vec!["community:3"]);

    // Events between tomorrow and ten days from now: the one in two days.
    let mut by_date = SearchRequest::words("介護");
    by_date.from = Some(now() + Duration::days(1));
    by_date.to = Some(now() + Duration::days(10));
    assert_eq!(keys(&index, &by_date, &[]), vec!["event:21"]);
}

#[test]
fn members_only_documents_reach_members_only() {
    let mut secret = thread(30, "介護の内部資料", "メンバー限定の相談");
    secret.community = Some(CommunityId(9));
    secret.audience = Audience::Members(CommunityId(9));
    let index = index_of(&[secret, thread(31, "介護の公開相談", "誰でも")], None);
    let request = SearchRequest::words("介護");
    assert_eq!(keys(&index, &request, &[]), vec!["thread:31"]);
    assert_eq!(keys(&index, &request, &[CommunityId(8)]), vec!["thread:31"]);
    let member = keys(&index, &request, &[CommunityId(9)]);
    assert!(member.contains(&"thread:30".to_owned()), "{member:?}");
    assert_eq!(index.count(&request, &[]).unwrap(), 1);
}

#[test]
fn title_matches_rank_above_text_matches() {
    let index = index_of(
        &[
            thread(1, "週末の話", "副業の相談をしました"),
            thread(2, "副業の始め方", "週末にできること"),
        ],
        None,
    );
    assert_eq!(found(&index, "副業"), vec!["thread:2", "thread:1"]);
}

#[test]
fn active_communities_and_upcoming_events_rank_first() {
    let mut quiet = community(1, "介護の会", "介護");
    quiet.members = 1;
    quiet.active_at = Some(now() - Duration::days(400));
    let mut busy = community(2, "介護の会", "介護");
    busy.members = 80;
    busy.active_at = Some(now() - Duration::days(1));
    let index = index_of(&[quiet, busy], None);
    assert_eq!(found(&index, "介護"), vec!["community:2", "community:1"]);

    let past = event(3, "介護の交流会", "話そう", -30);
    let upcoming = event(4, "介護の交流会", "話そう", 14);
    let index = index_of(&[past, upcoming], None);
    assert_eq!(found(&index, "介護"), vec!["event:4", "event:3"]);
}

#[test]
fn whole_words_rank_above_pieces_of_longer_words() {
    let Some(morphology) = morphology() else {
        return;
    };
    // 京都府 is one word of the dictionary that starts with 京都; 京都の
    // holds 京都 as a word of its own.
    let index = index_of(
        &[
            thread(1, "京都府の会場", "案内"),
            thread(2, "京都の会場", "案内"),
        ],
        Some(morphology),
    );
    let results = found(&index, "京都");
    assert_eq!(
        results.first().map(String::as_str),
        Some("thread:2"),
        "{results:?}"
    );
}

#[test]
fn pages_split_the_results_and_the_total_counts_all() {
    let docs: Vec<_> = (1..=25)
        .map(|i| thread(i, &format!("副業の相談 {i}"), "本文"))
        .collect();
    let index = index_of(&docs, None);
    let request = SearchRequest::words("副業");
    let first = index.search(&request, &[], now(), 0, 10).unwrap();
    let third = index.search(&request, &[], now(), 20, 10).unwrap();
    assert_eq!(first.total, 25);
    assert_eq!(first.hits.len(), 10);
    assert_eq!(third.hits.len(), 5);
    let mut seen: Vec<DocKey> = first.hits.iter().map(|h| h.key.clone()).collect();
    seen.extend(
        index
            .search(&request, &[], now(), 10, 10)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.key),
    );
    seen.extend(third.hits.into_iter().map(|h| h.key));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25, "no result twice, none missing");
}

#[test]
fn did_you_mean_suggests_close_words_the_searcher_may_see() {
    let mut secret = thread(3, "Secretplan", "members only");
    secret.audience = Audience::Members(CommunityId(9));
    let index = index_of(
        &[
            thread(1, "Design systems", "for designers"),
            thread(2, "キャリア相談", "volunteers welcome"),
            secret,
        ],
        None,
    );
    let suggest = |q: &str, member_of: &[CommunityId]| {
        index.suggest(&SearchRequest::words(q), member_of).unwrap()
    };
    assert_eq!(suggest("desgin", &[]), Some("design".into()));
    assert_eq!(suggest("welcme", &[]), Some("welcome".into()));
    assert_eq!(suggest("キャリヤ", &[]), Some("キャリア".into()));
    assert_eq!(suggest("きゃりや", &[]), Some("キャリア".into()));
    // A word found as it is is kept; only the unfound one changes.
    assert_eq!(
        suggest("キャリア welcme", &[]),
        Some("キャリア welcome".into())
    );
    // Words of members-only content are suggested to members only.
    assert_eq!(suggest("secretplam", &[]), None);
    assert_eq!(
        suggest("secretplam", &[CommunityId(9)]),
        Some("secretplan".into())
    );
    // Nothing close: no suggestion.
    assert_eq!(suggest("zzzzzz", &[]), None);
}

#[test]
fn replacing_and_removing_documents_by_key() {
    let index = index_of(&[thread(1, "介護の相談", "本文")], None);
    let key = DocKey::numeric(DocType::Thread, 1);
    let edited = thread(1, "育休の相談", "本文");
    index.apply([(&key, Some(&edited))]).unwrap();
    index
        .commit(IndexState {
            watermark: 5,
            complete: true,
        })
        .unwrap();
    assert!(found(&index, "介護").is_empty());
    assert_eq!(found(&index, "育休"), vec!["thread:1"]);
    index.apply([(&key, None)]).unwrap();
    index
        .commit(IndexState {
            watermark: 6,
            complete: true,
        })
        .unwrap();
    assert!(found(&index, "育休").is_empty());
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn an_index_on_disk_keeps_its_documents_and_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let config = IndexConfig {
        dir: Some(dir.path().to_owned()),
        morphology: None,
        writer_memory: 0,
        writer_threads: 1,
    };
    {
        let index = SearchIndex::open(&config).unwrap();
        assert_eq!(
            index.state(),
            IndexState::default(),
            "a new index is not complete"
        );
        index.add_new(&[thread(1, "介護の相談", "本文")]).unwrap();
        index
            .commit(IndexState {
                watermark: 42,
                complete: true,
            })
            .unwrap();
        assert!(
            matches!(
                SearchIndex::open(&config),
                Err(tsunagari_search::SearchError::Locked(_))
            ),
            "a second writer is refused"
        );
    }
    let index = SearchIndex::open(&config).unwrap();
    assert_eq!(
        index.state(),
        IndexState {
            watermark: 42,
            complete: true
        }
    );
    assert_eq!(found(&index, "介護"), vec!["thread:1"]);
    assert!(index.size_on_disk() > 0);
    // Left-over indexes of other versions or modes are removed.
    std::fs::create_dir_all(dir.path().join("index-v0-bigram")).unwrap();
    drop(index);
    let _index = SearchIndex::open(&config).unwrap();
    assert!(!dir.path().join("index-v0-bigram").exists());
}

#[test]
fn an_empty_query_with_filters_lists_by_ranking() {
    let mut scheme = base(DocType::PublicScheme, 0, "教育訓練給付", "支援");
    scheme.key = DocKey {
        doc_type: DocType::PublicScheme,
        id: "x".into(),
    };
    let index = index_of(&[scheme, thread(1, "介護", "本文")], None);
    let mut request = SearchRequest::words("");
    request.doc_type = Some(DocType::PublicScheme);
    assert_eq!(keys(&index, &request, &[]), vec!["public_scheme:x"]);
}
