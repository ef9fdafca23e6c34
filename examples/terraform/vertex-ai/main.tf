provider "google" {
  project = var.project
  region  = var.region
}

resource "google_kms_key_ring" "vertex" {
  name     = "vertex"
  location = var.region
}

resource "google_kms_crypto_key" "vertex" {
  name            = "vertex-cmek"
  key_ring        = google_kms_key_ring.vertex.id
  rotation_period = "7776000s"
}

resource "google_vertex_ai_endpoint" "chat" {
  name         = "chat"
  display_name = "chat"
  location     = var.region

  encryption_spec {
    kms_key_name = google_kms_crypto_key.vertex.id
  }

  private_service_connect_config {
    enable_private_service_connect = true
    project_allowlist              = [var.project]
  }

  # The endpoint's only record of what was asked and answered (LCG-PRV-008).
  predict_request_response_logging_config {
    enabled       = true
    sampling_rate = 1
    bigquery_destination {
      output_uri = "bq://${var.project}.${google_bigquery_dataset.requests.dataset_id}"
    }
  }
}

resource "google_bigquery_dataset" "requests" {
  dataset_id                      = "chat_requests"
  location                        = var.region
  default_partition_expiration_ms = 2592000000 # 30 days: prompts are personal data

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.vertex.id
  }
}

resource "google_project_iam_audit_config" "vertex" {
  project = var.project
  service = "aiplatform.googleapis.com"

  dynamic "audit_log_config" {
    for_each = toset(var.audit_log_types)
    content {
      log_type = audit_log_config.value
    }
  }
}

resource "google_logging_project_bucket_config" "audit" {
  project        = var.project
  location       = var.region
  bucket_id      = "vertex-audit"
  retention_days = 365

  cmek_settings {
    kms_key_name = google_kms_crypto_key.vertex.id
  }
}

# Without a sink the Data Access logs would stay in the _Default bucket, which keeps them 30 days.
resource "google_logging_project_sink" "audit" {
  project                = var.project
  name                   = "vertex-audit"
  destination            = "logging.googleapis.com/projects/${var.project}/locations/${var.region}/buckets/vertex-audit"
  filter                 = "protoPayload.serviceName=\"aiplatform.googleapis.com\""
  unique_writer_identity = true
}
