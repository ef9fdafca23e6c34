terraform {
  required_providers {
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "this" {
  name     = "rg-openai-${var.location}"
  location = var.location
}

resource "azapi_resource" "account" {
  type      = "Microsoft.CognitiveServices/accounts@2024-10-01"
  name      = "oai-avm-${var.location}"
  parent_id = azurerm_resource_group.this.id
  location  = var.location

  body = {
    kind = "OpenAI"
    sku = {
      name = "S0"
    }
    properties = {
      customSubDomainName = "oai-avm-${var.location}"
      publicNetworkAccess = "Disabled"
      disableLocalAuth    = true
      encryption = {
        keySource = "Microsoft.KeyVault"
        keyVaultProperties = {
          keyVaultUri      = "https://kv-openai-eu.vault.azure.net/"
          keyName          = "openai-cmk"
          identityClientId = "11111111-1111-1111-1111-111111111111"
        }
      }
    }
  }
}

resource "azapi_resource" "deployment" {
  for_each = var.deployments

  type      = "Microsoft.CognitiveServices/accounts/deployments@2024-10-01"
  name      = each.key
  parent_id = azapi_resource.account.id

  body = {
    sku = {
      name     = each.value.type
      capacity = 10
    }
    properties = {
      model = {
        format  = "OpenAI"
        name    = each.value.model
        version = each.value.version
      }
    }
  }
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "law-openai-${var.location}"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  sku                 = "PerGB2018"
  retention_in_days   = 365
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "openai-logs"
  target_resource_id         = azapi_resource.account.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  dynamic "enabled_log" {
    for_each = toset(var.diagnostic_categories)
    content {
      category = enabled_log.value
    }
  }
}
