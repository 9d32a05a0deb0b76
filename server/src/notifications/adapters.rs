//! Delivery adapters: a log (the development default), SMTP email (lettre) and a
//! generic HTTP SMS gateway configured by URL, token and a JSON body template.

use std::time::Duration;

use awn_storage::outbox::{Channel, OutboxMessage};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor, message::header::ContentType};

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("the recipient or message is malformed: {0}")]
    Malformed(String),
    #[error("the gateway refused the message: {0}")]
    Refused(String),
    #[error("the gateway could not be reached: {0}")]
    Unreachable(String),
}

/// Writes messages to the server log instead of sending them. In development the
/// body (and so a sign-in code) is logged too; in production only that a message
/// was not really sent.
#[derive(Debug, Clone)]
pub struct LogAdapter {
    pub include_body: bool,
}

impl LogAdapter {
    fn deliver(&self, message: &OutboxMessage) {
        if self.include_body {
            tracing::info!(
                channel = %message.channel, purpose = %message.purpose, recipient = %message.recipient,
                body = %message.body, "outbox message (log adapter)"
            );
        } else {
            tracing::warn!(
                channel = %message.channel, purpose = %message.purpose,
                "outbox message not sent: no gateway configured for this channel"
            );
        }
    }
}

/// A generic HTTP SMS gateway: POSTs the template with `{to}` and `{message}`
/// filled in (JSON-escaped), with `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct HttpSmsGateway {
    client: reqwest::Client,
    url: String,
    token: String,
    template: String,
}

impl std::fmt::Debug for HttpSmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the bearer token.
        f.debug_struct("HttpSmsGateway").field("url", &self.url).finish_non_exhaustive()
    }
}

impl HttpSmsGateway {
    pub fn new(url: String, token: String, template: String) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build()?;
        Ok(HttpSmsGateway { client, url, token, template })
    }

    /// The request body for one message.
    pub fn body(&self, to: &str, message: &str) -> String {
        let escape = |value: &str| {
            let quoted = serde_json::Value::String(value.to_owned()).to_string();
            quoted[1..quoted.len() - 1].to_owned()
        };
        self.template.replace("{to}", &escape(to)).replace("{message}", &escape(message))
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body(&message.recipient, &message.body))
            .send()
            .await
            .map_err(|e| DeliveryError::Unreachable(e.without_url().to_string()))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(DeliveryError::Refused(format!("HTTP {}", response.status())))
        }
    }
}

/// Email over SMTP.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// `url` as lettre reads it: `smtps://user:password@host:465` or
    /// `smtp://host:587?tls=required`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("AWN_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| format!("AWN_SMTP_FROM: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let to = message.recipient.parse().map_err(|e| DeliveryError::Malformed(format!("recipient: {e}")))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| DeliveryError::Malformed(e.to_string()))?;
        self.transport.send(email).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                DeliveryError::Refused(e.to_string())
            } else {
                DeliveryError::Unreachable(e.to_string())
            }
        })
    }
}

/// The adapter for each channel; a channel without a real one goes to the log.
#[derive(Debug, Clone)]
pub struct Adapters {
    pub log: LogAdapter,
    pub sms: Option<HttpSmsGateway>,
    pub email: Option<SmtpMailer>,
}

impl Adapters {
    pub async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        match Channel::from_code(&message.channel) {
            Some(Channel::Sms) => match &self.sms {
                Some(gateway) => gateway.deliver(message).await,
                None => {
                    self.log.deliver(message);
                    Ok(())
                }
            },
            Some(Channel::Email) => match &self.email {
                Some(mailer) => mailer.deliver(message).await,
                None => {
                    self.log.deliver(message);
                    Ok(())
                }
            },
            None => Err(DeliveryError::Malformed(format!("unknown channel `{}`", message.channel))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_template_escapes_values_as_json() {
        let gateway = HttpSmsGateway::new(
            "http://127.0.0.1:9/send".into(),
            "t".into(),
            r#"{"to":"{to}","text":"{message}"}"#.into(),
        )
        .expect("client");
        let body = gateway.body("+966512345678", "رمز \"الدخول\"\n123");
        let parsed: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
        assert_eq!(parsed["to"], "+966512345678");
        assert_eq!(parsed["text"], "رمز \"الدخول\"\n123");
    }
}
