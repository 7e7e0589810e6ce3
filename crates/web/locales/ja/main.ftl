## Site
site-name = つながり
site-tagline = キャリアの助け合いプラットフォーム
skip-to-content = 本文へスキップ
nav-label = メインメニュー
nav-home = ホーム
nav-login = ログイン
nav-signup = 新規登録
nav-settings = 設定
nav-logout = ログアウト
nav-signed-in-as = { $name } さんとしてログイン中
language-switch-label = 表示言語
language-switch-button = 切り替え
footer-about = つながりは、働く人が会社の外にもキャリアの支えを持てるようにするためのオープンソースのプラットフォームです。
footer-source = 出典の数値は各ページに明記しています。

## Home
home-title = 会社の外に、キャリアの仲間を。
home-lead = つながりは、働く人と、キャリアを支え合うコミュニティを結ぶ場所です。職種の勉強会、企業のアルムナイ、ふるさとの県人会、NPO、ワーカーズコープ、労働組合——次の一歩を一緒に考える仲間が見つかります。
home-fact-isolation = の働く人が、勤め先の外に、キャリアを支え合うつながりをひとつも持っていません。
home-fact-gave-up = の働く人が、この5年間にキャリアの挑戦やその準備をあきらめています。
home-fact-source = 出典：リクルートワークス研究所『「つながり」のキャリア論 — 希望を叶える6つの共助』（2021年）。2020年9月、就業者4,259人へのインターネット調査。
home-cta-signup = 無料で登録する
home-cta-login = ログインはこちら
home-welcome = おかえりなさい、{ $name } さん。
home-welcome-lead = このホームには、これから参加したコミュニティやイベントの新着が並びます。
home-kinds-title = 6つのつながり方
kind-professional = 職業・専門コミュニティ
kind-professional-desc = 同じ仕事をする人どうしで学び合い、経験を分かち合う。
kind-corporate-alumni = 企業アルムナイ
kind-corporate-alumni-desc = 元の職場の仲間と、退職後も協力し合う。
kind-regional-alumni = 地域アルムナイ（県人会・ふるさと会）
kind-regional-alumni-desc = ふるさとや縁のある地域と、離れていてもつながる。
kind-npo = NPO
kind-npo-desc = 社会の課題に取り組みながら、新しい働き方を試す。
kind-worker-coop = ワーカーズコープ（労働者協同組合）
kind-worker-coop-desc = 自分たちで出資し、話し合い、働く場を運営する。
kind-union = 労働組合
kind-union-desc = 雇用を守るだけでなく、キャリアの相談や学びを支える。

## Sign up
signup-title = 新規登録
signup-lead = メールアドレスとパスワードだけで始められます。登録後、いつでもデータの書き出しと退会ができます。
signup-submit = 登録する
signup-have-account = すでにアカウントをお持ちの方は
field-email = メールアドレス
field-display-name = 表示名
field-display-name-hint = ほかの人に表示される名前です（50文字まで）。ニックネームでも構いません。
field-password = パスワード
field-password-hint = 12〜128文字。よく使われるパスワードは使えません。長めのフレーズがおすすめです。
field-current-password = 現在のパスワード
field-new-password = 新しいパスワード
field-password-confirmation = 新しいパスワード（確認）
field-locale = 表示言語
field-time-zone = タイムゾーン
field-time-zone-hint = 日時はこのタイムゾーンで表示します。

## Log in
login-title = ログイン
login-submit = ログイン
login-no-account = アカウントをお持ちでない方は
login-throttle-note = 安全のため、ログインに10回失敗すると、しばらくログインできなくなります。
login-bad-credentials = メールアドレスまたはパスワードが正しくありません。
login-throttled = ログインの失敗が続いたため、一時的にログインを止めています。約 { $minutes } 分後にもう一度お試しください。
login-required = このページを見るにはログインしてください。

## Settings
settings-title = 設定
settings-profile = プロフィール
settings-profile-save = 保存する
settings-profile-saved = プロフィールを保存しました。
settings-password = パスワードの変更
settings-password-save = パスワードを変更する
settings-password-changed = パスワードを変更しました。ほかの端末のログインはすべて終了しました。
settings-sessions = ログイン中の端末
settings-sessions-lead = ログイン状態は最長30日、12時間使わないと自動で終了します。心当たりのない端末があれば終了してください。
settings-session-current = この端末
settings-session-started = ログイン：{ $time }
settings-session-last-seen = 最終利用：{ $time }
settings-session-from = 接続元：{ $ip }
settings-session-end = ログアウトさせる
settings-session-ended = 端末のログインを終了しました。
settings-tokens = APIアクセストークン
settings-tokens-lead = 連携アプリ用のトークンです。トークンは API（POST /api/v1/tokens）で発行します。
settings-tokens-none = 発行済みのトークンはありません。
settings-token-created = 発行：{ $time }
settings-token-last-used = 最終利用：{ $time }
settings-token-never-used = 未使用
settings-token-revoke = 取り消す
settings-token-revoked = トークンを取り消しました。
settings-data = あなたのデータ
settings-export-lead = このサーバーに保存されているあなたの情報をすべて JSON ファイルでダウンロードできます。
settings-export = データを書き出す
settings-delete-lead = 退会すると、アカウントと個人データは完全に削除され、元に戻せません。
settings-delete = 退会する
settings-locale-saved = 表示言語を変更しました。

## Delete account
delete-title = 退会（アカウントの削除）
delete-lead = アカウント、ログイン情報、プロフィールを削除します。この操作は取り消せません。必要なら先にデータを書き出してください。
delete-confirm-label = アカウントとデータが完全に削除されることを理解しました
delete-submit = 完全に削除する
delete-cancel = やめる
delete-done = アカウントを削除しました。ご利用ありがとうございました。

## Form errors
form-error-summary = 入力内容を確認してください
error-email-empty = メールアドレスを入力してください。
error-email-too-long = メールアドレスが長すぎます（254文字まで）。
error-email-malformed = メールアドレスの形式が正しくありません（例：name@example.jp）。
error-email-taken = このメールアドレスはすでに登録されています。ログインするか、別のアドレスを使ってください。
error-display-name-empty = 表示名を入力してください。
error-display-name-too-long = 表示名は50文字以内にしてください。
error-display-name-control = 表示名に改行などの制御文字は使えません。
error-password-too-short = パスワードは12文字以上にしてください。
error-password-too-long = パスワードは128文字以内にしてください。
error-password-common = このパスワードはよく使われていて推測されやすいため使えません。
error-password-personal = メールアドレスや表示名をもとにしたパスワードは使えません。
error-password-wrong = 現在のパスワードが正しくありません。
error-password-mismatch = 確認用のパスワードが一致しません。
error-locale-unknown = 対応していない言語です。
error-time-zone-unknown = タイムゾーンが正しくありません。
error-confirmation-required = 確認のチェックを入れてください。

## Error pages
error-not-found-title = ページが見つかりません
error-not-found-body = お探しのページは移動したか、削除された可能性があります。
error-csrf-title = フォームの有効期限が切れました
error-csrf-body = 安全のため、この送信を受け付けませんでした。ページを再読み込みして、もう一度お試しください。
error-internal-title = 問題が発生しました
error-internal-body = サーバーで問題が起きました。しばらくしてからもう一度お試しください。
error-unauthorized-title = ログインが必要です
error-too-many-requests-title = しばらくお待ちください
error-back-home = ホームに戻る
error-bad-request-title = リクエストを処理できません
error-bad-request-body = 送信された内容を読み取れませんでした。

## API error messages
api-error-unauthorized = 認証が必要です。Authorization: Bearer ヘッダーに有効なトークンを指定してください。
api-error-bad-credentials = メールアドレスまたはパスワードが正しくありません。
api-error-throttled = ログインの失敗が続いたため、{ $seconds } 秒後まで受け付けません。
api-error-invalid = 入力内容に問題があります。
api-error-email-taken = このメールアドレスはすでに登録されています。
api-error-not-found = 見つかりません。
api-error-internal = サーバーで問題が起きました。
api-error-bad-json = リクエストの JSON を読み取れませんでした。

## One-time notices
signup-welcome = 登録が完了しました。ようこそ、つながりへ。
logout-done = ログアウトしました。
