//! The share register's pages (出資の記録): the register at
//! `/communities/{id}/shares` (members: totals and their own holding;
//! organisers: the price, the entry forms, every holder and the ledger),
//! its forms, and the ledger as CSV for the books.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, SHARE_PAGE_ENTRIES, SharePage};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::share::{Holding, ShareEntryDraft, ShareEntryKind, ShareHolderId};
use tsunagari_domain::{UserId, UserTimeZone};
use tsunagari_store::ShareEntryRecord;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::csv::{self, Csv};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// Groups the digits of a whole number in threes (`1,250,000`).
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A change on the ledger, with its sign (`+50,000`, `-33,333`, `0`).
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", group_digits(n))
    } else {
        group_digits(n)
    }
}

fn yen(ctx: &RequestContext, amount: i64) -> String {
    ctx.t1("share-yen", "amount", group_digits(amount))
}

fn kind_label(ctx: &RequestContext, kind: ShareEntryKind) -> String {
    ctx.t(&format!("share-kind-{}", kind.as_str()))
}

/// Balances as shown.
pub struct HoldingView {
    units: String,
    subscribed: String,
    paid: String,
    outstanding: String,
}

fn holding_view(ctx: &RequestContext, holding: &Holding) -> HoldingView {
    HoldingView {
        units: ctx.t_count("share-units", "count", holding.units),
        subscribed: yen(ctx, holding.subscribed),
        paid: yen(ctx, holding.paid),
        outstanding: yen(ctx, holding.outstanding()),
    }
}

/// One holder in the register.
pub struct HolderView {
    name: String,
    former: bool,
    balances: HoldingView,
}

/// One ledger entry as shown.
pub struct EntryView {
    id: i64,
    when: String,
    member: String,
    kind: String,
    units: String,
    subscribed: String,
    paid: String,
    note: String,
    by: String,
    reverses: Option<i64>,
    reversed_by: Option<i64>,
    reversible: bool,
}

fn deleted_holder(ctx: &RequestContext, holder: ShareHolderId) -> String {
    ctx.t1("share-register-deleted", "holder", holder.0)
}

fn entry_view(ctx: &RequestContext, record: &ShareEntryRecord) -> EntryView {
    let e = &record.entry;
    EntryView {
        id: e.id.0,
        when: format_time(e.recorded_at, reader_zone(ctx), ctx.tr.locale()),
        member: record
            .member_name
            .clone()
            .unwrap_or_else(|| deleted_holder(ctx, e.holder)),
        kind: kind_label(ctx, e.kind),
        units: signed(e.delta.units),
        subscribed: signed(e.delta.subscribed),
        paid: signed(e.delta.paid),
        note: e.note.clone(),
        by: record
            .recorded_by_name
            .clone()
            .unwrap_or_else(|| ctx.t("share-ledger-someone")),
        reverses: e.reverses.map(|r| r.0),
        reversed_by: record.reversed_by.map(|r| r.0),
        reversible: e.kind != ShareEntryKind::Reversal && record.reversed_by.is_none(),
    }
}

/// A member to choose in an entry form.
pub struct MemberChoice {
    value: String,
    label: String,
    selected: bool,
}

/// The entry form as posted: every kind shares it.
#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    units: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reverses: String,
    #[serde(default)]
    note: String,
}

impl EntryForm {
    fn draft(&self) -> ShareEntryDraft {
        ShareEntryDraft {
            kind: self.kind.clone(),
            units: self.units.clone(),
            amount: self.amount.clone(),
            reverses: self.reverses.clone(),
            note: self.note.clone(),
        }
    }

    fn member(&self) -> Option<UserId> {
        self.member_id.trim().parse::<i64>().ok().map(UserId)
    }
}

/// One of the entry forms (subscription, payment, refund).
pub struct EntryFormView {
    kind: &'static str,
    title: String,
    hint: String,
    members: Vec<MemberChoice>,
    takes_units: bool,
    takes_amount: bool,
    amount_label: String,
    form: EntryForm,
    errors: FormErrors,
}

impl EntryFormView {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

/// A member's own subscription form (出資の申込み), kept filled after a
/// refusal.
pub struct OwnSubscriptionView {
    units: String,
    note: String,
    errors: FormErrors,
}

impl OwnSubscriptionView {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

/// The register page.
#[derive(Template, WebTemplate)]
#[template(path = "shares/show.html")]
pub struct RegisterPage {
    ctx: RequestContext,
    community: (i64, String),
    unit_price: Option<String>,
    total_units: String,
    total_holders: String,
    total_paid: String,
    total_subscribed: String,
    total_outstanding: String,
    mine: Option<HoldingView>,
    my_entries: Vec<EntryView>,
    organises: bool,
    own_subscription: Option<OwnSubscriptionView>,
    price_value: String,
    price_error: Option<String>,
    forms: Vec<EntryFormView>,
    register: Vec<HolderView>,
    ledger: Vec<EntryView>,
    ledger_is_partial: bool,
    reversal_errors: FormErrors,
    reversal_note: String,
    reversal_of: Option<i64>,
}

impl RegisterPage {
    /// Whether the reversal form of this entry failed on the last post.
    fn reversing(&self, entry: &i64) -> bool {
        self.reversal_of == Some(*entry)
    }
}

/// What failed on the last post, to show it again where it happened.
enum Failed {
    Entry(EntryForm, FormErrors),
    Price(String, FormErrors),
}

fn register_page(ctx: RequestContext, page: &SharePage, failed: Option<Failed>) -> RegisterPage {
    let totals = &page.totals;
    let (entry_failure, price_failure) = match failed {
        Some(Failed::Entry(form, errors)) => (Some((form, errors)), None),
        Some(Failed::Price(value, errors)) => (None, Some((value, errors))),
        None => (None, None),
    };
    let mut forms = Vec::new();
    let mut register = Vec::new();
    let mut ledger = Vec::new();
    let mut ledger_is_partial = false;
    let (mut reversal_errors, mut reversal_note, mut reversal_of) =
        (FormErrors::default(), String::new(), None);
    if let Some(organiser) = &page.organiser {
        let active: Vec<(i64, String)> = organiser
            .members
            .iter()
            .map(|m| (m.membership.user_id.0, m.display_name.clone()))
            .collect();
        let former: Vec<(i64, String)> = organiser
            .balances
            .iter()
            .filter(|b| !b.active_member)
            .filter_map(|b| Some((b.member?.0, b.display_name.clone()?)))
            .collect();
        for (kind, takes_units, takes_amount, amount_key) in [
            ("subscribe", true, false, "share-field-amount"),
            ("payment", false, true, "share-field-amount"),
            ("refund", true, true, "share-field-refund-amount"),
        ] {
            let (form, errors) = match &entry_failure {
                Some((form, errors)) if form.kind == kind => (form.clone(), errors.clone()),
                _ => (
                    EntryForm {
                        kind: kind.to_owned(),
                        ..Default::default()
                    },
                    FormErrors::default(),
                ),
            };
            let mut members: Vec<MemberChoice> = active
                .iter()
                .map(|(id, name)| MemberChoice {
                    value: id.to_string(),
                    label: name.clone(),
                    selected: form.member_id == id.to_string(),
                })
                .collect();
            if kind != "subscribe" {
                members.extend(former.iter().map(|(id, name)| MemberChoice {
                    value: id.to_string(),
                    label: ctx.t1("share-field-member-former", "name", name),
                    selected: form.member_id == id.to_string(),
                }));
            }
            forms.push(EntryFormView {
                kind,
                title: ctx.t(&format!("share-form-{kind}")),
                hint: ctx.t(&format!("share-form-{kind}-hint")),
                members,
                takes_units,
                takes_amount,
                amount_label: ctx.t(amount_key),
                form,
                errors,
            });
        }
        // A failure of a kind without a form of its own (a reversal, or an
        // unknown kind) is shown above the ledger.
        if let Some((form, errors)) = entry_failure
            .as_ref()
            .filter(|(form, _)| !["subscribe", "payment", "refund"].contains(&form.kind.as_str()))
        {
            reversal_errors = errors.clone();
            reversal_note = form.note.clone();
            reversal_of = form.reverses.trim().parse().ok();
        }
        register = organiser
            .balances
            .iter()
            .filter(|b| b.holding != Holding::default() || b.active_member)
            .map(|b| HolderView {
                name: b
                    .display_name
                    .clone()
                    .unwrap_or_else(|| deleted_holder(&ctx, b.holder)),
                former: !b.active_member,
                balances: holding_view(&ctx, &b.holding),
            })
            .collect();
        ledger = organiser
            .entries
            .iter()
            .map(|r| entry_view(&ctx, r))
            .collect();
        ledger_is_partial = organiser.entries.len() as i64 >= SHARE_PAGE_ENTRIES;
    }
    // Members apply for units themselves once there is a price; organisers
    // use their own forms, which can name anyone.
    let own_subscription =
        (page.organiser.is_none() && page.register.is_some()).then(|| match entry_failure {
            Some((form, errors)) => OwnSubscriptionView {
                units: form.units,
                note: form.note,
                errors,
            },
            None => OwnSubscriptionView {
                units: String::new(),
                note: String::new(),
                errors: FormErrors::default(),
            },
        });
    let (price_value, price_error) = match price_failure {
        Some((value, errors)) => (value, errors.get("unit_price").map(str::to_owned)),
        None => (
            page.register
                .map(|r| r.unit_price.yen().to_string())
                .unwrap_or_default(),
            None,
        ),
    };
    RegisterPage {
        community: (page.community.id.0, page.community.profile.name.clone()),
        unit_price: page
            .register
            .map(|r| ctx.t1("share-per-unit", "amount", group_digits(r.unit_price.yen()))),
        total_units: ctx.t_count("share-units", "count", totals.holding.units),
        total_holders: ctx.t_count("share-total-holders", "count", totals.holders),
        total_paid: yen(&ctx, totals.holding.paid),
        total_subscribed: yen(&ctx, totals.holding.subscribed),
        total_outstanding: yen(&ctx, totals.holding.outstanding()),
        mine: page.mine.as_ref().map(|h| holding_view(&ctx, h)),
        my_entries: page
            .my_entries
            .iter()
            .map(|r| entry_view(&ctx, r))
            .collect(),
        organises: page.viewer_organises(),
        own_subscription,
        price_value,
        price_error,
        forms,
        register,
        ledger,
        ledger_is_partial,
        reversal_errors,
        reversal_note,
        reversal_of,
        ctx,
    }
}

/// `GET /communities/{id}/shares`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<RegisterPage, Failure> {
    let page = state.shares.page(&user.account, CommunityId(id)).await?;
    Ok(register_page(ctx, &page, None))
}

/// `POST /communities/{id}/shares/entries`.
pub async fn record(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<EntryForm>,
) -> Result<Response, Failure> {
    match state
        .shares
        .record(&user.account, CommunityId(id), form.member(), &form.draft())
        .await
    {
        // Only a member's own application has no member field: the
        // organisers' forms always name one.
        Ok(entry)
            if form.member_id.trim().is_empty() && entry.kind == ShareEntryKind::Subscribe =>
        {
            Ok(redirect_with_notice(
                &ctx,
                &format!("/communities/{id}/shares#mine-title"),
                Some("share-own-recorded"),
                Vec::new(),
            ))
        }
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/shares#ledger"),
            Some("share-recorded"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = state.shares.page(&user.account, CommunityId(id)).await?;
            let view = register_page(ctx, &page, Some(Failed::Entry(form, errors)));
            Ok((failure.status, view).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The price form.
#[derive(Deserialize)]
pub struct PriceForm {
    #[serde(default)]
    unit_price: String,
}

/// `POST /communities/{id}/shares/price`.
pub async fn set_price(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<PriceForm>,
) -> Result<Response, Failure> {
    match state
        .shares
        .set_unit_price(&user.account, CommunityId(id), &form.unit_price)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/shares"),
            Some("share-price-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = state.shares.page(&user.account, CommunityId(id)).await?;
            let view = register_page(ctx, &page, Some(Failed::Price(form.unit_price, errors)));
            Ok((failure.status, view).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The ledger as CSV text, in the reader's language, times in Japan time.
pub fn ledger_csv(tr: &crate::i18n::Tr, lines: &[(ShareEntryRecord, Holding)]) -> String {
    let mut out = Csv::new();
    out.row(
        [
            "share-csv-number",
            "share-csv-recorded-at",
            "share-csv-member",
            "share-csv-kind",
            "share-csv-units",
            "share-csv-unit-price",
            "share-csv-subscribed",
            "share-csv-paid",
            "share-csv-member-units",
            "share-csv-member-paid",
            "share-csv-reverses",
            "share-csv-note",
            "share-csv-recorded-by",
        ]
        .map(|key| tr.t(key)),
    );
    let tokyo = UserTimeZone::TOKYO.tz();
    for (record, after) in lines {
        let e = &record.entry;
        let member = record
            .member_name
            .clone()
            .unwrap_or_else(|| tr.t1("share-register-deleted", "holder", e.holder.0));
        out.row([
            e.id.0.to_string(),
            e.recorded_at
                .with_timezone(&tokyo)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            csv::text(&member),
            tr.t(&format!("share-kind-{}", e.kind.as_str())),
            e.delta.units.to_string(),
            e.unit_price
                .map(|p| p.yen().to_string())
                .unwrap_or_default(),
            e.delta.subscribed.to_string(),
            e.delta.paid.to_string(),
            after.units.to_string(),
            after.paid.to_string(),
            e.reverses.map(|r| r.0.to_string()).unwrap_or_default(),
            csv::text(&e.note),
            csv::text(
                &record
                    .recorded_by_name
                    .clone()
                    .unwrap_or_else(|| tr.t("share-ledger-someone")),
            ),
        ]);
    }
    out.finish()
}

/// `GET /communities/{id}/shares.csv`: the whole ledger for the books
/// (organisers).
pub async fn csv_export(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let (_, lines) = state.shares.journal(&user.account, CommunityId(id)).await?;
    let body = ledger_csv(&ctx.tr, &lines);
    let date = tsunagari_domain::time::now()
        .with_timezone(&UserTimeZone::TOKYO.tz())
        .format("%Y%m%d");
    let filename = format!("{}-{id}-{date}.csv", ctx.t("share-csv-filename"));
    Ok((
        [
            (CONTENT_TYPE, csv::CONTENT_TYPE.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET` of a form's address (after a failed post was reloaded): back to
/// the register.
pub async fn back_to_register(Path(id): Path<i64>) -> axum::response::Redirect {
    axum::response::Redirect::to(&format!("/communities/{id}/shares"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_in_threes_with_their_sign() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(50_000), "50,000");
        assert_eq!(group_digits(1_250_000), "1,250,000");
        assert_eq!(group_digits(-33_333), "-33,333");
        assert_eq!(signed(100_000), "+100,000");
        assert_eq!(signed(-60_000), "-60,000");
        assert_eq!(signed(0), "0");
    }
}
