//! The tool-choice contract, on SQLite and PostgreSQL: choices are kept per
//! tool, read back with the community, and concurrent switches of
//! different tools both survive.

use tsunagari_domain::community::{CommunityDraft, CommunityId, CommunityKind};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;

tsunagari_store::backend_tests! {
    async fn choices_are_kept_with_the_community(db: TestDatabase) {
        let store = db.store().await;
        let owner = tsunagari_store::testing::create_person(&*store, "owner@example.jp", "佐藤 葵").await;
        let draft = CommunityDraft { name: "はたらく協同の会".into(), visibility: "public".into(), membership: "open".into(), ..Default::default() };
        let profile = draft.validate(CommunityKind::WorkerCoop).unwrap();
        let coop = store.create_community(CommunityKind::WorkerCoop, &profile, None, owner, now()).await.unwrap();
        assert!(coop.tool_choices.is_empty());
        assert_eq!(coop.enabled_tools(), vec![CommunityTool::Ballots, CommunityTool::OpinionBox, CommunityTool::ShareRegister]);

        let after = store.set_tool_choice(coop.id, CommunityTool::OpinionBox, false, now()).await.unwrap().unwrap();
        assert_eq!(after, vec![(CommunityTool::OpinionBox, false)]);
        let read = store.community(coop.id).await.unwrap().unwrap();
        assert_eq!(read.tool_choices, after);
        assert_eq!(read.enabled_tools(), vec![CommunityTool::Ballots, CommunityTool::ShareRegister]);

        let (a, b) = tokio::join!(
            store.set_tool_choice(coop.id, CommunityTool::Ballots, false, now()),
            store.set_tool_choice(coop.id, CommunityTool::ShareRegister, false, now()),
        );
        a.unwrap();
        b.unwrap();
        let read = store.community(coop.id).await.unwrap().unwrap();
        assert!(read.enabled_tools().is_empty(), "both concurrent switches were kept: {:?}", read.tool_choices);

        assert!(store.set_tool_choice(CommunityId(9999), CommunityTool::Ballots, true, now()).await.unwrap().is_none());
    }
}
