//! The site operator role: who runs this server. Granted and revoked from
//! the command line (`tsunagari admin grant-operator EMAIL`), never from a
//! page, so taking over a web session is not enough to become one; checked
//! by every operator use case (`require`).

use std::sync::Arc;

use tsunagari_domain::time::now;
use tsunagari_domain::{Account, Email};
use tsunagari_store::Store;

use crate::{AppError, Denial, Field, FieldErrors, FieldProblem};

/// What granting or revoking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    /// The role changed.
    Changed,
    /// It was already so.
    AlreadySo,
}

/// Site-operator use cases.
#[derive(Clone)]
pub struct SiteOperators {
    store: Arc<dyn Store>,
}

impl SiteOperators {
    /// Use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> SiteOperators {
        SiteOperators { store }
    }

    async fn account(&self, email: &str) -> Result<Account, AppError> {
        let email = Email::parse(email).map_err(|e| {
            AppError::Invalid(FieldErrors::single(Field::Email, FieldProblem::Email(e)))
        })?;
        Ok(self
            .store
            .account_with_password(&email)
            .await?
            .ok_or(AppError::NotFound)?
            .0)
    }

    /// Makes the account with this address a site operator; `NotFound`
    /// when there is none.
    pub async fn grant(&self, email: &str) -> Result<RoleChange, AppError> {
        let account = self.account(email).await?;
        let changed = self
            .store
            .set_site_operator(account.id, true, now())
            .await?;
        tracing::info!(user_id = account.id.0, changed, "site operator granted");
        Ok(if changed {
            RoleChange::Changed
        } else {
            RoleChange::AlreadySo
        })
    }

    /// Takes the role away; `NotFound` when there is no such account.
    pub async fn revoke(&self, email: &str) -> Result<RoleChange, AppError> {
        let account = self.account(email).await?;
        let changed = self
            .store
            .set_site_operator(account.id, false, now())
            .await?;
        tracing::info!(user_id = account.id.0, changed, "site operator revoked");
        Ok(if changed {
            RoleChange::Changed
        } else {
            RoleChange::AlreadySo
        })
    }

    /// Whether a person is a site operator.
    pub async fn is_operator(&self, account: &Account) -> Result<bool, AppError> {
        Ok(self.store.is_site_operator(account.id).await?)
    }

    /// `Forbidden(NotOperator)` unless the person is a site operator.
    pub async fn require(&self, account: &Account) -> Result<(), AppError> {
        if self.is_operator(account).await? {
            Ok(())
        } else {
            Err(AppError::Forbidden(Denial::NotOperator))
        }
    }
}
