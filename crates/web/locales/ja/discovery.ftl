# Discovery: the signed-in home page, the directory of real organisations with claims, the operators' claim queue, and Atom feeds.

## Home (signed in)
discovery-home-no-communities = まだどのコミュニティにも参加していません。下のおすすめや団体名簿から探してみましょう。
discovery-home-threads = 新しいスレッド
discovery-home-threads-none = 参加しているコミュニティには、まだスレッドがありません。
discovery-home-events = 参加しているコミュニティのイベント
discovery-home-events-none = 予定されているイベントはまだありません。
discovery-home-suggestions = あなたへのおすすめ
discovery-home-from-self-check = { $date }のセルフチェックの結果から選びました。
discovery-home-from-profiles = コミュニティのプロフィールに書いた職種や地域から選びました。セルフチェックをすると、もっとあなたに合ったおすすめになります。
discovery-home-from-popular = 参加者の多いコミュニティです。セルフチェックをすると、あなたに合ったおすすめが表示されます。
discovery-home-take-self-check = セルフチェックをする
discovery-home-suggestions-none = おすすめできるコミュニティは、いまはありません。
discovery-reason-tag = タグ「{ $tag }」が、あなたの職種に合っています。
discovery-reason-popular = 参加者の多いコミュニティです。
discovery-home-nearby-in = 今週のイベント（{ $prefecture }・オンライン）
discovery-home-nearby-online = 今週のオンラインイベント
discovery-home-nearby-hint-region = 地域は、セルフチェックの住まいか、プロフィールの地域から選んでいます。
discovery-home-nearby-hint-none = 住まいの地域がわからないため、オンラインのイベントだけを表示しています。セルフチェックかコミュニティのプロフィールで地域を設定できます。
discovery-home-nearby-none = 今週、該当するイベントはありません。
discovery-home-operator = 確認待ちの団体の申請が{ $count }件あります
discovery-home-directory = 実在する団体の名簿を見る
discovery-home-events-feed = 公開イベントのAtomフィード
discovery-home-in-community = { $community }で

## Organisation directory
discovery-nav = 団体名簿
discovery-title = 実在する団体の名簿
discovery-lead = 報告書『「つながり」のキャリア論』が例に挙げる、職業コミュニティ、企業・地域アルムナイ、NPO、協同労働、労働組合の名簿です。ここに載っている団体は、このサーバーで運営されているコミュニティではありません。団体の方は申請し、サイト運営者の承認を受けると、ここでコミュニティを始められます。
discovery-filters-label = 団体を絞り込む
discovery-filter-kind = 種類
discovery-filter-any-kind = すべての種類
discovery-filter-prefecture = 都道府県
discovery-filter-any-prefecture = すべての地域
discovery-filter-submit = 絞り込む
discovery-filter-clear = 条件をクリア
discovery-result-count = { $count }団体
discovery-none = 条件に合う団体はありません。
discovery-badge-entry = 名簿の掲載のみ（このサーバーでは運営されていません）
discovery-badge-on-site = tsunagariで活動中
discovery-go-to-community = コミュニティを見る
discovery-no-region = 全国・海外・地域不明
discovery-company = 企業: { $company }
discovery-previous-page = 前へ
discovery-next-page = 次へ
discovery-pagination = ページ
discovery-urls-note = 公式サイトのアドレスは、名簿を作ったときに確かめられなかったものもあります。リンク先は外部のサイトです。
discovery-report-source = 出典: リクルートワークス研究所『「つながり」のキャリア論 ― 希望を叶える6つの共助』（2021）。説明文は私たちが要約したものです。

## One listing
discovery-listing-entry-note = この団体は名簿に載っているだけで、tsunagariの上では活動していません。掲載内容は報告書をもとに私たちがまとめたもので、団体の確認は受けていません。
discovery-listing-claimed-note = この団体は { $date } からtsunagariでコミュニティとして活動しています。
discovery-website = 公式サイト
discovery-website-external = （外部サイト）
discovery-tags = タグ
discovery-claim-title = この団体の方ですか？
discovery-claim-intro = 申請すると、サイト運営者が確認します。承認されると、この名簿の内容からコミュニティが作られ、あなたがオーナー（運営者）になります。名簿からもリンクされます。
discovery-claim-message = あなたについて
discovery-claim-message-hint = 団体との関係、役割、確認の手がかり（公式サイトの掲載ページなど）を書いてください。サイト運営者だけが読みます。1000文字まで。
discovery-claim-submit = 申請する
discovery-claim-login = 申請するには、ログインしてください。
discovery-claim-sent = 申請を送りました。サイト運営者の確認をお待ちください。
discovery-my-claims = あなたの申請
discovery-claim-status-pending = 確認待ち
discovery-claim-status-approved = 承認済み
discovery-claim-status-declined = 見送り
discovery-claim-status-superseded = 別の方の申請が承認されました
discovery-claim-reason = 理由: { $reason }
discovery-claim-sent-at = { $time }に申請
discovery-claim-pending-note = あなたの申請は確認待ちです。結果は通知でお知らせします。
discovery-back = 名簿に戻る

## Operators' claim queue
discovery-admin-title = 団体の申請（サイト運営者）
discovery-admin-lead = 古い順に並んでいます。承認すると、名簿の内容からその種類のコミュニティが作られ、申請者がオーナーになります。同じ団体へのほかの申請は自動的に締め切られます。
discovery-admin-none = 確認待ちの申請はありません。
discovery-admin-claimant = 申請者: { $name }
discovery-admin-listing = 名簿の掲載
discovery-admin-message = 申請者からのメッセージ
discovery-admin-approve = 承認してコミュニティを作る
discovery-admin-decline-reason = 見送る理由（申請者に伝わります）
discovery-admin-decline = 見送る
discovery-admin-approved = 申請を承認し、コミュニティを作りました。
discovery-admin-declined = 申請を見送りました。

## Errors and refusals
discovery-error-message-empty = あなたと団体の関係を書いてください。
discovery-error-message-too-long = 1000文字以内で書いてください。
discovery-error-message-control = 使えない文字が含まれています。
discovery-error-reason-empty = 見送る理由を書いてください。
discovery-error-reason-too-long = 500文字以内で書いてください。
discovery-error-reason-control = 使えない文字が含まれています。
discovery-denied-not-operator = この操作は、サイト運営者だけができます。
discovery-denied-listing-claimed = この団体は、すでにtsunagariで活動しています。
discovery-denied-claim-pending = この団体へのあなたの申請は、確認待ちです。
discovery-denied-claim-decided = この申請は、すでに処理されています。

## Notifications
notification-organisation_claim_approved = 「{ $subject }」の申請が承認されました。コミュニティを始めましょう。
notification-organisation_claim_declined = 「{ $subject }」への申請は承認されませんでした。

## Feeds
discovery-feed-link = Atomフィード
discovery-feed-community-title = { $name }（tsunagari）
discovery-feed-community-subtitle = { $name }のお知らせと新しいスレッド
discovery-feed-events-title = 公開イベント（tsunagari）
discovery-feed-events-in-title = { $prefecture }の公開イベント（tsunagari）
discovery-feed-events-subtitle = 公開されているコミュニティの、これからのイベント
discovery-feed-announcement = お知らせ
discovery-feed-thread = スレッド
discovery-feed-event-summary = { $time } · { $place } · { $community }
