variable "project" {
  description = "Google Cloud project of the workload"
  type        = string
  default     = "acme-vertex-eu"
}

variable "region" {
  description = "Region of the endpoint, its key and its logs"
  type        = string
  default     = "europe-west4"
}

variable "audit_log_types" {
  type    = list(string)
  default = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]
}
