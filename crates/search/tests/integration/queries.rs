//! The query list: Japanese and English queries with the documents each
//! must and must not find, run with bigrams alone and with the dictionary.

use crate::common;

use common::{corpus, found, index_of, morphology};

/// Which analysis a line of the list holds for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Both,
    BigramsOnly,
    Dictionary,
}

struct Case {
    query: &'static str,
    must: &'static [&'static str],
    must_not: &'static [&'static str],
    mode: Mode,
}

const fn case(
    query: &'static str,
    must: &'static [&'static str],
    must_not: &'static [&'static str],
) -> Case {
    Case {
        query,
        must,
        must_not,
        mode: Mode::Both,
    }
}

const SCHEME: &str = "public_scheme:education-training-benefit";

const CASES: &[Case] = &[
    case(
        "介護",
        &["community:1", "thread:14"],
        &["thread:9", "thread:4"],
    ),
    case("育休", &["thread:2"], &["thread:4"]),
    case("新潟", &["community:3"], &["community:1"]),
    case("副業", &["thread:4"], &["thread:2"]),
    case("UX", &["community:5"], &["event:10"]),
    case("ＵＸ", &["community:5"], &[]),
    case("ux", &["community:5"], &[]),
    case("ｷｬﾘｱ", &["thread:6"], &["event:10"]),
    case("キャリア", &["thread:6"], &[]),
    case("きゃりあ", &["thread:6"], &[]),
    case("アルムナイ", &["community:7"], &["community:5"]),
    case("ｱﾙﾑﾅｲ", &["community:7"], &[]),
    case("東京都", &["thread:9"], &["thread:8"]),
    case("designers", &["community:5"], &["thread:11"]),
    case("design", &["community:5", "event:10"], &[]),
    case("designing", &["community:5", "event:10"], &[]),
    case("Career", &["event:10"], &["thread:6"]),
    case("CAREER", &["event:10"], &[]),
    case("volunteer", &["thread:11"], &["event:10"]),
    case("教育訓練", &[SCHEME], &[]),
    case("training benefit", &[SCHEME], &["event:10"]),
    case("skills", &[SCHEME], &[]),
    case("組合", &["thread:13"], &[]),
    case("ユニオン", &["thread:13"], &[]),
    case("腰痛", &["community:1", "thread:14"], &[]),
    case("夜勤", &["community:1"], &["thread:14"]),
    case("コンサルタント", &["thread:6"], &[]),
    case("相談", &["thread:4", "thread:6"], &["thread:2"]),
    case("介護 福祉", &["community:1"], &["thread:14"]),
    case("交流会", &["thread:8"], &[]),
    case("町家", &["thread:8"], &[]),
    case("Uターン", &["community:3"], &[]),
    case("確定申告", &["thread:4"], &[]),
    case("両立", &["thread:4"], &[]),
    case("元社員", &["community:7"], &[]),
    case("research", &["community:5"], &[]),
    case("宇宙", &[], &["community:1", "thread:6"]),
    case("nothing-like-this", &[], &["community:5"]),
    // 京都 is a word of its own in 京都の and 京都府, but only a pair of
    // characters inside 東京都 (東京|都): the dictionary cuts that false hit,
    // bigrams alone cannot.
    Case {
        query: "京都",
        must: &["thread:8"],
        must_not: &["thread:9"],
        mode: Mode::Dictionary,
    },
    Case {
        query: "京都",
        must: &["thread:8", "thread:9"],
        must_not: &[],
        mode: Mode::BigramsOnly,
    },
];

fn run(mode: Mode) {
    let morphology = match mode {
        Mode::Dictionary => match morphology() {
            Some(m) => Some(m),
            None => return,
        },
        _ => None,
    };
    let index = index_of(&corpus(), morphology);
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in CASES
        .iter()
        .filter(|c| c.mode == Mode::Both || c.mode == mode)
    {
        ran += 1;
        let results = found(&index, case.query);
        for key in case.must {
            if !results.iter().any(|r| r == key) {
                failures.push(format!("{:?} did not find {key}: {results:?}", case.query));
            }
        }
        for key in case.must_not {
            if results.iter().any(|r| r == key) {
                failures.push(format!("{:?} found {key}: {results:?}", case.query));
            }
        }
    }
    assert!(ran >= 30, "the list has {ran} queries for {mode:?}");
    assert!(failures.is_empty(), "{mode:?}:\n{}", failures.join("\n"));
}

#[test]
fn query_list_with_bigrams_alone() {
    run(Mode::BigramsOnly);
}

#[test]
fn query_list_with_the_dictionary() {
    run(Mode::Dictionary);
}
