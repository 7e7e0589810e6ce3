//! Demo data: people with Japanese names and communities of all six kinds
//! (invented, not real organisations), so a fresh server has something to
//! look at, with upcoming events (one full, with a waitlist) and the
//! co-op's ballots (one closed with its result, one open). Later
//! capabilities add their own demo content here. Loaded only
//! into an empty database.

use tsunagari_domain::Locale;
use tsunagari_domain::community::{CommunityDraft, CommunityId};
use tsunagari_domain::thread::ThreadDraft;

use tsunagari_domain::event::EventDraft;

use crate::{
    Accounts, AppError, Communities, Events, MemberAction, SignUp, ThreadOptions, Threads,
};

/// The password every demo account shares, printed by `tsunagari demo`.
pub const DEMO_PASSWORD: &str = "tsunagari-demo-2026";

/// The demo people: e-mail, display name, language.
pub const DEMO_PEOPLE: &[(&str, &str, Locale)] = &[
    ("sato.aoi@example.jp", "佐藤 葵", Locale::Ja),
    ("suzuki.haruto@example.jp", "鈴木 陽翔", Locale::Ja),
    ("takahashi.mei@example.jp", "高橋 芽衣", Locale::Ja),
    ("tanaka.ren@example.jp", "田中 蓮", Locale::Ja),
    ("ito.yui@example.jp", "伊藤 結衣", Locale::Ja),
    ("watanabe.sota@example.jp", "渡辺 蒼太", Locale::Ja),
    ("emma.clark@example.com", "Emma Clark", Locale::En),
];

/// What loading demo data did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo people were created.
    Loaded {
        /// How many accounts.
        accounts: usize,
        /// How many communities.
        communities: usize,
    },
    /// The database already had accounts; nothing was changed.
    SkippedNotEmpty,
}

/// A demo community: owner (index into `DEMO_PEOPLE`), kind, parent (index
/// into this list), settings, and the people who join it.
struct DemoCommunity {
    owner: usize,
    kind: &'static str,
    parent: Option<usize>,
    name: &'static str,
    description: &'static str,
    tags: &'static str,
    prefecture: &'static str,
    membership: &'static str,
    join_question: &'static str,
    company: &'static str,
    members: &'static [usize],
}

const DEMO_COMMUNITIES: &[DemoCommunity] = &[
    DemoCommunity {
        owner: 2,
        kind: "professional",
        parent: None,
        name: "介護のみらい対話カフェ",
        description: "介護の仕事をしている人、これから関わりたい人が、職場の外で本音を話せる場です。\n\n- 月2回のオンライン対話会\n- 施設や職種をこえた学び合い\n- 先輩のキャリアの話を聞く会\n\nはじめての方も、聞くだけの参加も歓迎します。",
        tags: "介護, 福祉, 対話, 学び直し",
        prefecture: "13",
        membership: "open",
        join_question: "",
        company: "",
        members: &[0, 4, 5],
    },
    DemoCommunity {
        owner: 1,
        kind: "corporate_alumni",
        parent: None,
        name: "ミナトシステムズ アルムナイ",
        description: "ミナトシステムズ株式会社を卒業したメンバーと、現役社員をつなぐ公式ネットワークです。協業の相談、再入社（ブーメラン）の情報、会社の近況をお届けします。",
        tags: "IT, エンジニア, 協業",
        prefecture: "13",
        membership: "approval",
        join_question: "在籍していた期間と部署を教えてください。",
        company: "ミナトシステムズ株式会社",
        members: &[3],
    },
    DemoCommunity {
        owner: 0,
        kind: "regional_alumni",
        parent: None,
        name: "にいがた つながる会",
        description: "新潟出身の人も、新潟が好きな人も集まる、ゆるやかな県人会です。各地の支部や、日本酒・ランニングなどの部活動、U・Iターンの情報交換をしています。",
        tags: "新潟, Uターン, 地域",
        prefecture: "15",
        membership: "open",
        join_question: "",
        company: "",
        members: &[1, 3, 4, 6],
    },
    DemoCommunity {
        owner: 3,
        kind: "regional_alumni",
        parent: Some(2),
        name: "にいがた つながる会 東京支部",
        description: "東京近郊に住むメンバーの支部です。季節ごとの交流会を開いています。",
        tags: "新潟, 東京",
        prefecture: "15",
        membership: "open",
        join_question: "",
        company: "",
        members: &[0, 4],
    },
    DemoCommunity {
        owner: 4,
        kind: "regional_alumni",
        parent: Some(3),
        name: "東京支部 日本酒部",
        description: "新潟の酒蔵をめぐり、日本酒を味わいながら語らう部です。",
        tags: "日本酒, 新潟",
        prefecture: "15",
        membership: "open",
        join_question: "",
        company: "",
        members: &[0],
    },
    DemoCommunity {
        owner: 4,
        kind: "npo",
        parent: None,
        name: "NPO法人 こども未来ラボ",
        description: "子どもの学びの場をつくるNPOです。職員のほか、週末のボランティアや、企業で働く人のプロボノ参加も募集しています。",
        tags: "教育, プロボノ, 副業",
        prefecture: "27",
        membership: "open",
        join_question: "",
        company: "",
        members: &[2, 6],
    },
    DemoCommunity {
        owner: 5,
        kind: "worker_coop",
        parent: None,
        name: "ワーカーズコープ あおぞら",
        description: "地域の困りごとから仕事をつくる協同労働の仲間です。出資口数にかかわらず、一人一票で話し合って決めています。",
        tags: "協同労働, 地域, 福祉",
        prefecture: "14",
        membership: "approval",
        join_question: "あおぞらで取り組みたいことを教えてください。",
        company: "",
        members: &[],
    },
    DemoCommunity {
        owner: 3,
        kind: "union",
        parent: None,
        name: "みなと地域ユニオン",
        description: "職場や雇用形態をこえて、誰でも一人から入れる地域の労働組合です。キャリア相談や学習会もしています。",
        tags: "労働相談, キャリア相談",
        prefecture: "13",
        membership: "approval",
        join_question: "",
        company: "",
        members: &[],
    },
    DemoCommunity {
        owner: 6,
        kind: "professional",
        parent: None,
        name: "UX Designers Circle Tokyo",
        description: "A bilingual circle for UX designers and researchers in Japan. We share portfolios, run monthly critiques and help each other with career moves. 日本語でも英語でも参加できます。",
        tags: "UX, デザイン, design",
        prefecture: "13",
        membership: "open",
        join_question: "",
        company: "",
        members: &[0, 1],
    },
];

/// A demo thread: community (index into `DEMO_COMMUNITIES`), author (index
/// into `DEMO_PEOPLE`, an active member), whether it is a pinned
/// announcement, and its replies as (author, body).
struct DemoThread {
    community: usize,
    author: usize,
    title: &'static str,
    body: &'static str,
    announcement: bool,
    replies: &'static [(usize, &'static str)],
}

const DEMO_THREADS: &[DemoThread] = &[
    DemoThread {
        community: 0,
        author: 2,
        title: "12月の対話カフェは「夜勤明けの学び方」がテーマです",
        body: "12月14日（土）14:00から、オンラインで対話カフェを開きます。\n\n- テーマ：夜勤明けの学び方、休み方\n- 進め方：3〜4人の小グループで30分ずつ\n\n初めての方も聞くだけで大丈夫です。このスレッドに一言いただけると準備が助かります。",
        announcement: true,
        replies: &[
            (
                0,
                "参加します！夜勤明けは頭が働かないので、皆さんの工夫を聞きたいです。",
            ),
            (
                5,
                "途中からになりますが参加します。資格の勉強の続け方も話せたらうれしいです。",
            ),
        ],
    },
    DemoThread {
        community: 0,
        author: 4,
        title: "実務者研修、働きながらどう時間をつくりましたか？",
        body: "来年の介護福祉士試験を目指していて、実務者研修の受講を考えています。\nシフト勤務のなかで**スクーリングの日程**をどう確保したか、経験を教えてください。",
        announcement: false,
        replies: &[
            (
                2,
                "私は希望休を2か月前に出して、スクーリングを月1回にまとめました。職場の研修支援制度も確認してみてください。",
            ),
            (
                0,
                "教育訓練給付の対象になる講座もあります。ハローワークで事前に相談すると手続きがスムーズでした。",
            ),
        ],
    },
    DemoThread {
        community: 2,
        author: 0,
        title: "新年交流会（1月・東京）の参加者を募集します",
        body: "にいがた出身の方も、にいがたが好きな方も歓迎です。\n\n- 日時：1月18日（土）18:00〜\n- 場所：東京・日本橋（詳細は参加者にお知らせします）\n\nUターンを考えている方の相談コーナーもつくります。",
        announcement: true,
        replies: &[(
            3,
            "東京支部から5人ほどで参加します。地元の日本酒も持っていきます！",
        )],
    },
    DemoThread {
        community: 2,
        author: 6,
        title: "Working in Niigata with English: any tips?",
        body: "I'm thinking of moving to Niigata next year. Where do people find jobs that use English, and which local support schemes helped you?",
        announcement: false,
        replies: &[(
            1,
            "新潟県のUIターン相談窓口は英語の資料もあります。I can introduce you to a recruiter in Niigata City if you like.",
        )],
    },
    DemoThread {
        community: 1,
        author: 3,
        title: "ミナトシステムズに戻った方、選考の流れを教えてください",
        body: "退職して3年になります。アルムナイ採用で戻った方がいたら、面談の雰囲気や準備したことを聞かせてください。",
        announcement: false,
        replies: &[(
            1,
            "カジュアル面談のあと、現場のマネージャーと1回話しただけでした。外での経験をどう活かせるかを話せると良いと思います。",
        )],
    },
    DemoThread {
        community: 8,
        author: 0,
        title: "ポートフォリオのケーススタディ、何件載せていますか？",
        body: "転職活動に向けてポートフォリオを作り直しています。ケーススタディは何件くらいが読みやすいでしょうか。",
        announcement: false,
        replies: &[(
            6,
            "Two or three deep ones beat six shallow ones. Show the messy middle, not just the final screens!",
        )],
    },
];

/// A demo event: community (index into `DEMO_COMMUNITIES`, created by its
/// owner), days from today and hours (Japan time), where, capacity, and who
/// registers (indices into `DEMO_PEOPLE`, in order).
struct DemoEvent {
    community: usize,
    in_days: i64,
    hours: (u32, u32),
    title: &'static str,
    description: &'static str,
    online_url: &'static str,
    venue: &'static str,
    prefecture: &'static str,
    capacity: &'static str,
    registrants: &'static [usize],
}

const DEMO_EVENTS: &[DemoEvent] = &[
    DemoEvent {
        community: 0,
        in_days: 3,
        hours: (19, 21),
        title: "オンライン対話会「介護の仕事、5年後のわたし」",
        description: "介護の仕事を続けるか、広げるか、変えるか。職場の外だから話せる本音を、少人数で語り合います。\n\n- 19:00 はじめに・自己紹介\n- 19:20 小グループで対話\n- 20:30 ふりかえり\n\n聞くだけの参加も歓迎です。",
        online_url: "https://meet.example.jp/kaigo-cafe-dialogue",
        venue: "",
        prefecture: "",
        capacity: "30",
        registrants: &[0, 4],
    },
    DemoEvent {
        community: 0,
        in_days: 17,
        hours: (10, 12),
        title: "先輩に聞く：ケアマネジャーへの道",
        description: "介護福祉士からケアマネジャーになった先輩に、試験勉強と仕事の変化を聞きます。",
        online_url: "https://meet.example.jp/kaigo-cafe-senpai",
        venue: "",
        prefecture: "",
        capacity: "",
        registrants: &[5],
    },
    DemoEvent {
        community: 1,
        in_days: 10,
        hours: (19, 21),
        title: "ミナトシステムズ アルムナイ 秋の交流会",
        description: "卒業生と現役社員の交流会です。近況報告と、協業・再入社の相談コーナーがあります。",
        online_url: "",
        venue: "ミナトシステムズ本社 12階 ラウンジ（東京都港区）",
        prefecture: "13",
        capacity: "40",
        registrants: &[3],
    },
    DemoEvent {
        community: 2,
        in_days: 6,
        hours: (20, 21),
        title: "オンライン Uターン・Iターン相談会",
        description: "新潟での仕事と暮らしについて、移住した先輩と気軽に話せる会です。",
        online_url: "https://meet.example.jp/niigata-uturn",
        venue: "",
        prefecture: "",
        capacity: "",
        registrants: &[1, 6],
    },
    DemoEvent {
        community: 3,
        in_days: 8,
        hours: (19, 21),
        title: "東京支部 新年会",
        description: "新潟の地酒と郷土料理を囲む新年会です。会費4,000円（当日払い）。",
        online_url: "",
        venue: "にいがた館 3階ホール（東京都中央区）",
        prefecture: "13",
        capacity: "2",
        // The owner and 佐藤 葵 take the places; 伊藤 結衣 waits.
        registrants: &[3, 0, 4],
    },
    DemoEvent {
        community: 4,
        in_days: 24,
        hours: (13, 16),
        title: "酒蔵見学と利き酒の会",
        description: "新潟市内の酒蔵を見学し、季節の日本酒を味わいます。",
        online_url: "",
        venue: "新潟市内の酒蔵（集合：新潟駅 万代口）",
        prefecture: "15",
        capacity: "10",
        registrants: &[0],
    },
    DemoEvent {
        community: 5,
        in_days: 5,
        hours: (12, 13),
        title: "プロボノ参加説明会（ランチタイム・オンライン）",
        description: "会社で働きながら、得意なことでNPOを手伝う「プロボノ」の始め方を紹介します。",
        online_url: "https://meet.example.jp/kodomo-mirai-probono",
        venue: "",
        prefecture: "",
        capacity: "20",
        registrants: &[2, 6],
    },
    DemoEvent {
        community: 6,
        in_days: 12,
        hours: (18, 20),
        title: "協同労働を知る説明会",
        description: "一人一票で話し合って働く「協同労働」のしくみと、あおぞらの仕事を紹介します。会場とオンラインの両方で参加できます。",
        online_url: "https://meet.example.jp/aozora-coop",
        venue: "あおぞら事務所（横浜市）",
        prefecture: "14",
        capacity: "15",
        registrants: &[],
    },
    DemoEvent {
        community: 7,
        in_days: 4,
        hours: (19, 20),
        title: "キャリア相談会（オンライン・個別）",
        description: "職場の悩み、働き方の相談に、組合の相談員が応じます。組合員以外も相談できます。",
        online_url: "https://meet.example.jp/minato-union-soudan",
        venue: "",
        prefecture: "",
        capacity: "",
        registrants: &[],
    },
    DemoEvent {
        community: 8,
        in_days: 9,
        hours: (19, 21),
        title: "Portfolio critique night / ポートフォリオ相互レビュー会",
        description: "Bring one case study; get feedback from two peers. 日本語・英語どちらでも。",
        online_url: "https://meet.example.jp/ux-circle-critique",
        venue: "",
        prefecture: "",
        capacity: "12",
        registrants: &[0, 1],
    },
];

/// A date-time `days` from today at `hour`:00, Japan time, as a form sends it.
fn demo_local_time(days: i64, hour: u32) -> String {
    let date = (tsunagari_domain::time::now() + chrono::Duration::days(days))
        .with_timezone(&tsunagari_domain::UserTimeZone::TOKYO.tz())
        .date_naive();
    format!("{}T{hour:02}:00", date.format("%Y-%m-%d"))
}

/// Loads the demo data into an empty database.
pub async fn load(accounts: &Accounts) -> Result<DemoOutcome, AppError> {
    if accounts.store().count_accounts().await? > 0 {
        return Ok(DemoOutcome::SkippedNotEmpty);
    }
    let mut people = Vec::new();
    for (email, name, locale) in DEMO_PEOPLE {
        let form = SignUp {
            email: (*email).to_owned(),
            display_name: (*name).to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            locale: Some(locale.tag().to_owned()),
        };
        people.push(accounts.sign_up(form, *locale).await?);
    }
    let communities = Communities::new(accounts.store().clone());
    let mut created: Vec<CommunityId> = Vec::new();
    for demo in DEMO_COMMUNITIES {
        let draft = CommunityDraft {
            name: demo.name.to_owned(),
            description: demo.description.to_owned(),
            tags: demo.tags.to_owned(),
            prefecture: demo.prefecture.to_owned(),
            municipality: String::new(),
            visibility: "public".to_owned(),
            membership: demo.membership.to_owned(),
            join_question: demo.join_question.to_owned(),
            company_name: demo.company.to_owned(),
        };
        let owner = &people[demo.owner];
        let parent = demo.parent.map(|index| created[index]);
        let community = communities.create(owner, demo.kind, &draft, parent).await?;
        for &member in demo.members {
            communities
                .join(
                    &people[member],
                    community.id,
                    Some("よろしくお願いします。"),
                )
                .await?;
            if demo.membership == "approval" {
                communities
                    .act_on_member(owner, community.id, people[member].id, MemberAction::Accept)
                    .await?;
            }
        }
        created.push(community.id);
    }
    let threads = Threads::new(accounts.store().clone());
    for demo in DEMO_THREADS {
        let draft = ThreadDraft {
            title: demo.title.to_owned(),
            body: demo.body.to_owned(),
        };
        let options = ThreadOptions {
            announcement: demo.announcement,
            pinned: demo.announcement,
        };
        let thread = threads
            .create(
                &people[demo.author],
                created[demo.community],
                &draft,
                options,
            )
            .await?
            .post;
        for (author, body) in demo.replies {
            threads.reply(&people[*author], thread.id, body).await?;
        }
    }
    let events = Events::new(accounts.store().clone());
    for demo in DEMO_EVENTS {
        let organiser = &people[DEMO_COMMUNITIES[demo.community].owner];
        let draft = EventDraft {
            title: demo.title.to_owned(),
            description: demo.description.to_owned(),
            starts_at: demo_local_time(demo.in_days, demo.hours.0),
            ends_at: demo_local_time(demo.in_days, demo.hours.1),
            time_zone: "Asia/Tokyo".to_owned(),
            online: !demo.online_url.is_empty(),
            online_url: demo.online_url.to_owned(),
            venue: demo.venue.to_owned(),
            prefecture: demo.prefecture.to_owned(),
            capacity: demo.capacity.to_owned(),
        };
        let event = events
            .create(organiser, created[demo.community], &draft)
            .await?;
        for &person in demo.registrants {
            events.register(&people[person], event.id).await?;
        }
    }
    // Ballots first: they add the co-op's members with a join date a month
    // back, so those members were in the closed ballot's electorate.
    load_ballots(accounts, &people, &created).await?;
    load_coop_tools(accounts, &people, created[DEMO_COOP]).await?;
    load_union_tools(accounts, &people, created[UNION]).await?;
    // A claim of a directory listing waiting for the site operator (the
    // directory is loaded with the migrations; grant the role with
    // `tsunagari admin grant-operator EMAIL` to see the queue).
    let organisations = crate::Organisations::new(accounts.store().clone());
    match organisations
        .claim(
            &people[5],
            "mirai-kaigo-cafe",
            "未来をつくるkaigoカフェの運営に関わっている渡辺です（デモ用の申請です）。",
        )
        .await
    {
        Ok(_) | Err(AppError::NotFound) => {}
        Err(other) => return Err(other),
    }
    Ok(DemoOutcome::Loaded {
        accounts: DEMO_PEOPLE.len(),
        communities: DEMO_COMMUNITIES.len(),
    })
}

/// The demo co-op's index in `DEMO_COMMUNITIES`.
const DEMO_COOP: usize = 6;

/// Members of the demo co-op (indices into `DEMO_PEOPLE`) and the units
/// each subscribes and the yen each has paid; the owner records them.
const DEMO_SHARES: &[(usize, &str, &str)] = &[
    (5, "4", "200000"),
    (0, "2", "100000"),
    (2, "2", "50000"),
    (4, "1", "50000"),
];

/// A demo opinion in the co-op: author (index into `DEMO_PEOPLE`), whether
/// it is anonymous, and the responses the owner gives as (status, body).
struct DemoOpinion {
    author: usize,
    anonymous: bool,
    title: &'static str,
    body: &'static str,
    responses: &'static [(&'static str, &'static str)],
}

const DEMO_OPINIONS: &[DemoOpinion] = &[
    DemoOpinion {
        author: 2,
        anonymous: false,
        title: "夜勤明けの研修を午後にしてほしい",
        body: "夜勤明けの午前中の研修は、眠くて内容が頭に入りません。\n同じ内容を午後か翌日にも開いてもらえないでしょうか。",
        responses: &[
            (
                "under_discussion",
                "次の運営会議で、研修の時間帯を話し合います。",
            ),
            ("adopted", "来月から、同じ研修を平日の午後にも開きます。"),
        ],
    },
    DemoOpinion {
        author: 0,
        anonymous: true,
        title: "休憩室に横になれる場所がほしい",
        body: "長い勤務の日に少し横になれると助かります。",
        responses: &[(
            "answered",
            "事務所の奥の部屋を、来週から休憩に使えるようにします。",
        )],
    },
    DemoOpinion {
        author: 4,
        anonymous: false,
        title: "出資金の払込を分割にしたい",
        body: "一度に5万円は負担が大きいので、毎月1万円ずつ払い込めるとうれしいです。",
        responses: &[(
            "declined",
            "分割は今も受け付けています（毎月の払込を記録しています）。新しい仕組みは作らず、払込の方法を総会資料でお知らせします。",
        )],
    },
    DemoOpinion {
        author: 0,
        anonymous: false,
        title: "地域の配食サービスを新しい仕事にしませんか",
        body: "高齢の方が多い地区で、夕食の配達を頼める先がないと聞きました。私たちの仕事にできるかもしれません。",
        responses: &[],
    },
];

/// The demo co-op's share register and opinion box, through their use
/// cases: members join (when they are not members yet), the owner sets a
/// unit price and records subscriptions and payments (and one mistaken
/// payment and its reversal), members send opinions in different states.
async fn load_coop_tools(
    accounts: &Accounts,
    people: &[tsunagari_domain::Account],
    coop: CommunityId,
) -> Result<(), AppError> {
    use tsunagari_domain::opinion::{OpinionDraft, ResponseDraft};
    use tsunagari_domain::share::ShareEntryDraft;

    let store = accounts.store().clone();
    let communities = Communities::new(store.clone());
    let owner = &people[DEMO_COMMUNITIES[DEMO_COOP].owner];
    for &(person, _, _) in DEMO_SHARES.iter().skip(1) {
        if store.membership(coop, people[person].id).await?.is_none() {
            communities
                .join(
                    &people[person],
                    coop,
                    Some("地域の仕事を一緒につくりたいです。"),
                )
                .await?;
            communities
                .act_on_member(owner, coop, people[person].id, MemberAction::Accept)
                .await?;
        }
    }
    let shares = crate::Shares::new(store.clone());
    shares.set_unit_price(owner, coop, "50000").await?;
    let entry = |kind: &str, units: &str, amount: &str, note: &str| ShareEntryDraft {
        kind: kind.to_owned(),
        units: units.to_owned(),
        amount: amount.to_owned(),
        reverses: String::new(),
        note: note.to_owned(),
    };
    for &(person, units, paid) in DEMO_SHARES {
        let member = Some(people[person].id);
        shares
            .record(
                owner,
                coop,
                member,
                &entry("subscribe", units, "", "加入時の出資"),
            )
            .await?;
        shares
            .record(owner, coop, member, &entry("payment", "", paid, "振込"))
            .await?;
    }
    // A payment typed twice, corrected by a reversal.
    let twice = shares
        .record(
            owner,
            coop,
            Some(people[2].id),
            &entry("payment", "", "50000", "振込"),
        )
        .await?;
    let reversal = ShareEntryDraft {
        reverses: twice.id.0.to_string(),
        ..entry("reversal", "", "", "二重に記録したため取消")
    };
    shares.record(owner, coop, None, &reversal).await?;

    let opinions = crate::Opinions::new(store);
    for demo in DEMO_OPINIONS {
        let draft = OpinionDraft {
            title: demo.title.to_owned(),
            body: demo.body.to_owned(),
            anonymous: demo.anonymous,
        };
        let opinion = opinions.submit(&people[demo.author], coop, &draft).await?;
        for &(status, body) in demo.responses {
            let response = ResponseDraft {
                status: status.to_owned(),
                body: body.to_owned(),
            };
            opinions.respond(owner, opinion.id, &response).await?;
        }
    }
    Ok(())
}

/// The people who vote in the demo co-op.
const BALLOT_MEMBERS: &[usize] = &[0, 1, 2, 4, 6];

/// The co-op's ballots: a secret one that closed two weeks ago with its
/// result, outcome and follow-up actions, and a named one open now. The
/// co-op's members joined a month ago (those not yet members are added
/// with that date), so they were members when the closed ballot opened.
async fn load_ballots(
    accounts: &Accounts,
    people: &[tsunagari_domain::Account],
    created: &[CommunityId],
) -> Result<(), AppError> {
    use chrono::Duration;
    use tsunagari_domain::ballot::{BallotDraft, BallotSecret};
    use tsunagari_domain::community::{Membership, MembershipStatus, Role};

    let store = accounts.store().clone();
    let Some(index) = DEMO_COMMUNITIES
        .iter()
        .position(|c| c.kind == "worker_coop")
    else {
        return Ok(());
    };
    let coop = created[index];
    let owner = &people[DEMO_COMMUNITIES[index].owner];
    let now = tsunagari_domain::time::now();
    for &person in BALLOT_MEMBERS {
        if store.membership(coop, people[person].id).await?.is_none() {
            store
                .add_membership(&Membership {
                    community_id: coop,
                    user_id: people[person].id,
                    role: Role::Member,
                    status: MembershipStatus::Active,
                    join_answer: None,
                    joined_at: now - Duration::days(30),
                })
                .await?;
        }
    }
    // The demo's secret votes are cast and then, at the close, re-keyed at
    // random: this key is never needed again.
    let secret = BallotSecret::generate().0;
    let ballots = crate::Ballots::new(store.clone(), secret.clone());
    let opened = now - Duration::days(20);
    let closed = ballots
        .create_at(
            owner,
            coop,
            &BallotDraft {
                title: "配食サービス事業を始める".to_owned(),
                body: "地域の高齢者向けに、平日昼の配食サービスを始める案です。\n\n- 4月から週3日、1日30食\n- 厨房は「あおぞら食堂」を使用\n- 初期費用は出資金から40万円\n\n出資口数にかかわらず、一人一票です。".to_owned(),
                kind: "yes_no".to_owned(),
                closes_at: demo_local_time(-13, 18),
                time_zone: "Asia/Tokyo".to_owned(),
                secret: true,
                results_hidden: true,
                quorum: "50".to_owned(),
                threshold: "two_thirds".to_owned(),
                ..Default::default()
            },
            opened,
        )
        .await?;
    let [yes, no, abstain] = [0, 1, 2].map(|i| closed.options[i].id);
    let votes = [
        (0, yes),
        (1, no),
        (2, yes),
        (4, abstain),
        (6, yes),
        (1, yes),
    ];
    for (hour, (person, option)) in votes.into_iter().enumerate() {
        let voter = &people[person];
        if store
            .participation(closed.id, voter.id, &secret)
            .await?
            .is_some()
        {
            let at = opened + Duration::hours(6 * hour as i64 + 2);
            ballots.vote_at(voter, closed.id, option, at).await?;
        }
    }
    ballots
        .record_outcome_at(
            owner,
            closed.id,
            "3分の2以上の賛成で**可決**しました。4月の第1週から配食を始めます。",
            now - Duration::days(12),
        )
        .await?;
    for (action, due) in [
        ("保健所に営業許可を申請する", "2027-02-28"),
        ("配達ボランティアを5人募集する", ""),
    ] {
        ballots
            .add_follow_up_at(owner, closed.id, action, due, now - Duration::days(12))
            .await?;
    }
    let open = ballots
        .create(
            owner,
            coop,
            &BallotDraft {
                title: "夏の交流会の会場".to_owned(),
                body: "7月の交流会をどこで開くか決めましょう。".to_owned(),
                kind: "choices".to_owned(),
                choices: vec![
                    "あおぞら食堂".to_owned(),
                    "地区センター 2階".to_owned(),
                    "オンライン".to_owned(),
                ],
                abstain_option: true,
                closes_at: demo_local_time(6, 18),
                time_zone: "Asia/Tokyo".to_owned(),
                ..Default::default()
            },
        )
        .await?;
    for (person, choice) in [(0, 0), (2, 1)] {
        if store
            .participation(open.id, people[person].id, &secret)
            .await?
            .is_some()
        {
            ballots
                .vote(&people[person], open.id, open.options[choice].id)
                .await?;
        }
    }
    Ok(())
}

/// The demo union's index in `DEMO_COMMUNITIES`.
const UNION: usize = 7;

/// The demo union's tools, through their use cases: members, a counsellor
/// with an open and an answered request, a petition with signatures, an
/// update and its first milestone, and a fund with contributions and one
/// paid claim.
async fn load_union_tools(
    accounts: &Accounts,
    people: &[tsunagari_domain::Account],
    union: CommunityId,
) -> Result<(), AppError> {
    use tsunagari_domain::counselling::RequestDraft;
    use tsunagari_domain::fund::{ClaimDraft, DecisionDraft};
    use tsunagari_domain::petition::PetitionDraft;

    let store = accounts.store().clone();
    let communities = Communities::new(store.clone());
    let owner = &people[DEMO_COMMUNITIES[UNION].owner];
    // 佐藤 葵, 鈴木 陽翔, 高橋 芽衣 (the counsellor), 伊藤 結衣, Emma Clark.
    for &member in &[0, 1, 2, 4, 6] {
        communities
            .join(&people[member], union, Some("組合に入りたいです。"))
            .await?;
        communities
            .act_on_member(owner, union, people[member].id, MemberAction::Accept)
            .await?;
    }
    let counselling = crate::Counselling::new(store.clone());
    let counsellor = &people[2];
    counselling
        .add_counsellor(owner, union, counsellor.id)
        .await?;
    counselling
        .ask(
            &people[0],
            union,
            &RequestDraft {
                category: "career_change".into(),
                topic: "介護の仕事を続けながら、事務職への転職も考えています。資格や職業訓練のことを相談したいです。".into(),
                channel: "phone".into(),
                contact: "090-1234-5678".into(),
                preferred_times: "平日 19時以降、土曜の午前".into(),
            },
        )
        .await?;
    let answered = counselling
        .ask(
            &people[4],
            union,
            &RequestDraft {
                category: "work_life".into(),
                topic: "親の介護が始まり、夜勤を減らしたいです。職場にどう伝えればよいでしょうか。"
                    .into(),
                channel: "chat".into(),
                contact: String::new(),
                preferred_times: String::new(),
            },
        )
        .await?;
    counselling
        .assign(counsellor, answered.id, counsellor.id)
        .await?;
    counselling
        .write(
            counsellor,
            answered.id,
            "ご相談ありがとうございます。担当の高橋です。介護休業や短時間勤務の制度が使えるか、まず就業規則を一緒に確認しましょう。",
        )
        .await?;

    let petitions = crate::Petitions::new(store.clone());
    let deadline = demo_local_time(21, 17);
    let petition = petitions
        .create(
            owner,
            union,
            &PetitionDraft {
                title: "夜勤手当の引き上げを求めます".into(),
                demand: "みなと介護サービス株式会社に、次のことを求めます。\n\n- 夜勤手当を1回あたり**5,000円**に引き上げること\n- 夜勤明けの翌日を必ず休みにすること\n\n人手が足りないなか、夜勤を支える職員の負担に見合う手当が必要です。".into(),
                target: "みなと介護サービス株式会社".into(),
                goal: "12".into(),
                deadline,
                time_zone: tsunagari_domain::UserTimeZone::TOKYO,
                audience: "members".into(),
            },
        )
        .await?;
    for (signer, show_name) in [(0, true), (1, false), (2, false), (4, true)] {
        petitions
            .sign(&people[signer], petition.petition.id, show_name)
            .await?;
    }
    petitions
        .post_update(
            owner,
            petition.petition.id,
            "分会の職場集会で署名の呼びかけを始めました。月末に会社へ手渡す予定です。",
            true,
        )
        .await?;

    // The demo fund decides by committee: no claim ballot needs a lasting key.
    let fund = crate::Fund::new(store, tsunagari_domain::ballot::BallotSecret::generate().0);
    for (member, yen) in [
        (0, "5000"),
        (1, "3000"),
        (2, "5000"),
        (4, "3000"),
        (6, "2000"),
    ] {
        fund.contribute(&people[member], union, yen).await?;
    }
    let claim = fund
        .claim(
            &people[4],
            union,
            &ClaimDraft {
                amount: "10000".into(),
                reason: "シフトを急に減らされ、今月の家賃が足りません。".into(),
            },
        )
        .await?;
    fund.decide(
        owner,
        claim.id,
        &DecisionDraft {
            approve: true,
            note: "規約の給付対象です。".into(),
        },
    )
    .await?;
    Ok(())
}
