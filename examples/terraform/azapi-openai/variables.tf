variable "location" {
  description = "Azure region of the account and its logs"
  type        = string
  default     = "swedencentral"
}

variable "deployments" {
  description = "Model deployments by name; type is the deployment type (Standard keeps prompts in the account's region)"
  type = map(object({
    model   = string
    version = string
    type    = string
  }))
  default = {
    chat = {
      model   = "gpt-4o"
      version = "2024-08-06"
      type    = "Standard"
    }
    embeddings = {
      model   = "text-embedding-3-large"
      version = "1"
      type    = "Standard"
    }
  }
}

variable "diagnostic_categories" {
  type    = list(string)
  default = ["Audit", "RequestResponse", "AzureOpenAIRequestUsage"]
}
