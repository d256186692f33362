// Signpost on Azure, into a resource group that already exists:
//   az deployment group create --resource-group RG --template-file template-with-preexisting-rg.bicep \
//     --parameters template-with-preexisting-rg.parameters.json --parameters tokenSecret=...
// The ARM JSON beside this file (template-with-preexisting-rg.json) is the same template written out by hand;
// test/deploy/templates.test.ts checks that both declare the same parameters, resources and app settings.
// See docs/deploy.md for every parameter and the steps around it.
targetScope = 'resourceGroup'

@description('Name of the Azure Bot resource (unique across Azure; letters, digits and hyphens). Other names are made from it.')
@minLength(2)
@maxLength(60)
param botName string

@description('Name of the web app: its address is https://NAME.azurewebsites.net (unique across Azure).')
@minLength(2)
@maxLength(60)
param webAppName string = botName

@description('Azure region for everything except the bot registration.')
param location string = resourceGroup().location

@description('Where the Azure Bot keeps its data: global, or westeurope (EU data boundary) or centralindia.')
@allowed([
  'global'
  'westeurope'
  'centralindia'
])
param botLocation string = 'global'

@description('Azure Bot pricing tier: F0 (free, limited premium-channel messages) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('App Service plan size (Linux). B1 is enough for a small service; P0v3 or above for several instances.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServicePlanSku string = 'B1'

@description('How many instances of the web app run. Every instance shares the MongoDB store.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('How the bot proves who it is: UserAssignedMSI (a managed identity made here, no secret) or SingleTenant (an app registration in your tenant, with a client secret).')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param appType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s application (client) id. Leave empty for UserAssignedMSI.')
param appId string = ''

@description('SingleTenant only: the app registration\'s client secret. Kept in Key Vault. Leave empty for UserAssignedMSI.')
@secure()
param appPassword string = ''

@description('Key (32 characters or more) that signs the website chat\'s tokens. Kept in Key Vault. Pass it on the command line.')
@secure()
@minLength(32)
param tokenSecret string

@description('Bearer token that protects /metrics. Kept in Key Vault. Empty: /metrics is not served.')
@secure()
param metricsToken string = ''

@description('existing: use a MongoDB you already have (mongodbUri, e.g. Atlas). cosmos: make an Azure Cosmos DB for MongoDB (vCore) cluster.')
@allowed([
  'existing'
  'cosmos'
])
param databaseMode string = 'cosmos'

@description('databaseMode existing: the MongoDB connection string (mongodb+srv://...). Kept in Key Vault.')
@secure()
param mongodbUri string = ''

@description('Name of the MongoDB database Signpost uses.')
param mongodbDatabase string = 'signpost'

@description('databaseMode cosmos: the cluster administrator\'s user name.')
param cosmosAdminUser string = 'signpostadmin'

@description('databaseMode cosmos: the cluster administrator\'s password (8 to 128 characters, three of upper case, lower case, digits, symbols).')
@secure()
param cosmosAdminPassword string = ''

@description('databaseMode cosmos: the cluster tier. Free is one per subscription, for trying out.')
@allowed([
  'Free'
  'M10'
  'M20'
  'M30'
])
param cosmosTier string = 'M10'

@description('databaseMode cosmos: disk size in GB.')
@minValue(32)
@maxValue(1024)
param cosmosStorageGb int = 32

@description('Switch on the Direct Line channel: the website chat then goes through Azure Direct Line.')
param enableDirectLine bool = true

@description('Switch on the Microsoft Teams channel.')
param enableTeams bool = true

@description('Switch on the SMS channel (Twilio). Needs the three twilio parameters.')
param enableSms bool = false

@description('enableSms: the Twilio phone number, in E.164 form (+447...).')
param twilioPhoneNumber string = ''

@description('enableSms: the Twilio account SID.')
@secure()
param twilioAccountSid string = ''

@description('enableSms: the Twilio auth token. Kept in Key Vault.')
@secure()
param twilioAuthToken string = ''

@description('The name residents see.')
@minLength(1)
@maxLength(60)
param serviceName string = 'Signpost'

@description('Who runs the service, shown in Teams (up to 32 characters). Empty: the service name.')
@maxLength(32)
param organisation string = ''

@description('Public https:// address of the chat, if you put a custom domain in front. Empty: the web app\'s own address.')
param publicUrl string = ''

@description('Your privacy notice (https://). Empty: the chat page\'s privacy line.')
param privacyUrl string = ''

@description('Your terms of use (https://). Empty: the privacy notice.')
param termsUrl string = ''

@description('Other sites that may show the chat in a frame (docs/embed.md): https origins separated by commas. Empty: none.')
param embedOrigins string = ''

@description('Days a conversation is kept after its last message.')
@minValue(1)
@maxValue(365)
param stateDays int = 30

@description('Days a request for contact is kept after it is closed.')
@minValue(1)
@maxValue(3650)
param referralDays int = 90

@description('Working days within which a connector gets in touch (said to the resident).')
@minValue(1)
@maxValue(30)
param responseDays int = 2

@description('When connectors work, e.g. "Mon-Fri 09:00-17:00".')
param connectorHours string = 'Mon-Fri 09:00-17:00'

@description('Time zone of the connectors\' hours.')
param connectorTimezone string = 'Europe/London'

@description('The connectors\' Teams channel for new requests (a conversation reference as JSON). Empty: none.')
param teamsConnectorsConversation string = ''

@description('Least important log level written.')
@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags for every resource.')
param tags object = {}

var identityName = '${botName}-identity'
var planName = '${webAppName}-plan'
var logsName = '${botName}-logs'
var insightsName = '${botName}-insights'
var keyVaultName = 'kv${uniqueString(resourceGroup().id, botName)}'
var mongoClusterName = 'mongo${uniqueString(resourceGroup().id, botName)}'
// Key Vault Secrets User: read secret values, nothing else.
var keyVaultSecretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
var directLineEndpoints = {
  global: 'https://directline.botframework.com/v3/directline'
  westeurope: 'https://europe.directline.botframework.com/v3/directline'
  centralindia: 'https://india.directline.botframework.com/v3/directline'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: logsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: keyVaultSecretsUserRoleId
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource mongoCluster 'Microsoft.DocumentDB/mongoClusters@2025-09-01' = if (databaseMode == 'cosmos') {
  name: mongoClusterName
  location: location
  tags: tags
  properties: {
    administrator: {
      userName: cosmosAdminUser
      password: cosmosAdminPassword
    }
    serverVersion: '7.0'
    compute: {
      tier: cosmosTier
    }
    storage: {
      sizeGb: cosmosStorageGb
    }
    sharding: {
      shardCount: 1
    }
    highAvailability: {
      targetMode: 'Disabled'
    }
    publicNetworkAccess: 'Enabled'
  }
}

// 0.0.0.0 to 0.0.0.0 lets in connections from Azure services (the web app), not the internet at large.
resource mongoFirewall 'Microsoft.DocumentDB/mongoClusters/firewallRules@2025-09-01' = if (databaseMode == 'cosmos') {
  parent: mongoCluster
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2025-03-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      webSocketsEnabled: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
    }
  }
}

resource webAppLogs 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: webApp
  name: 'logs'
  properties: {
    applicationLogs: {
      fileSystem: {
        level: 'Information'
      }
    }
    httpLogs: {
      fileSystem: {
        enabled: true
        retentionInDays: 7
        retentionInMb: 35
      }
    }
  }
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: webApp
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: botLocation
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: serviceName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: appType
    msaAppId: appType == 'SingleTenant' ? appId : identity.properties.clientId
    msaAppTenantId: subscription().tenantId
    msaAppMSIResourceId: appType == 'SingleTenant' ? '' : identity.id
    publicNetworkAccess: 'Enabled'
  }
}

resource directLineChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableDirectLine) {
  parent: bot
  name: 'DirectLineChannel'
  location: botLocation
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'Signpost website chat'
          isEnabled: true
          isV1Enabled: false
          isV3Enabled: true
          isSecureSiteEnabled: false
          isBlockUserUploadEnabled: true
          isWebchatPreviewEnabled: false
        }
      ]
    }
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableTeams) {
  parent: bot
  name: 'MsTeamsChannel'
  location: botLocation
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

resource smsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = if (enableSms) {
  parent: bot
  name: 'SmsChannel'
  location: botLocation
  properties: {
    channelName: 'SmsChannel'
    properties: {
      phone: twilioPhoneNumber
      accountSID: twilioAccountSid
      authToken: twilioAuthToken
      isValidated: false
      isEnabled: true
    }
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (appType == 'SingleTenant') {
  parent: keyVault
  name: 'microsoft-app-password'
  properties: {
    value: appPassword
  }
}

resource tokenSecretSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: keyVault
  name: 'token-secret'
  properties: {
    value: tokenSecret
  }
}

resource metricsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(metricsToken)) {
  parent: keyVault
  name: 'metrics-token'
  properties: {
    value: metricsToken
  }
}

// The Cosmos DB connection string has <user> and <password> in place of the credentials.
resource mongodbUriSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: keyVault
  name: 'mongodb-uri'
  properties: {
    value: databaseMode == 'cosmos' ? replace(replace(mongoCluster.properties.connectionString, '<user>', uriComponent(cosmosAdminUser)), '<password>', uriComponent(cosmosAdminPassword)) : mongodbUri
  }
}

resource directLineSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (enableDirectLine) {
  parent: keyVault
  name: 'direct-line-secret'
  properties: {
    value: directLineChannel.listChannelWithKeys().setting.sites[0].key
  }
}

resource twilioAuthTokenSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (enableSms) {
  parent: keyVault
  name: 'twilio-auth-token'
  properties: {
    value: twilioAuthToken
  }
}

// Every setting is a key of settingsSchema in src/config.ts (or an App Service platform setting). Secrets are Key
// Vault references, resolved by App Service with the web app's identity. An empty value means "not set".
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [
    webAppLogs
    keyVaultSecretsUser
    mongoFirewall
  ]
  properties: {
    MicrosoftAppType: appType
    MicrosoftAppId: appType == 'SingleTenant' ? appId : identity.properties.clientId
    MicrosoftAppTenantId: subscription().tenantId
    MicrosoftAppPassword: appType == 'SingleTenant' ? '@Microsoft.KeyVault(SecretUri=${appPasswordSecret.properties.secretUri})' : ''
    SIGNPOST_PUBLIC_URL: empty(publicUrl) ? 'https://${webApp.properties.defaultHostName}' : publicUrl
    SIGNPOST_TOKEN_SECRET: '@Microsoft.KeyVault(SecretUri=${tokenSecretSecret.properties.secretUri})'
    MONGODB_URI: '@Microsoft.KeyVault(SecretUri=${mongodbUriSecret.properties.secretUri})'
    SIGNPOST_MONGODB_DATABASE: mongodbDatabase
    SIGNPOST_METRICS_TOKEN: !empty(metricsToken) ? '@Microsoft.KeyVault(SecretUri=${metricsTokenSecret.properties.secretUri})' : ''
    DIRECT_LINE_SECRET: enableDirectLine ? '@Microsoft.KeyVault(SecretUri=${directLineSecret.properties.secretUri})' : ''
    DIRECT_LINE_ENDPOINT: enableDirectLine ? directLineEndpoints[botLocation] : ''
    SIGNPOST_SERVICE_NAME: serviceName
    SIGNPOST_ORGANISATION: organisation
    SIGNPOST_PRIVACY_URL: privacyUrl
    SIGNPOST_TERMS_URL: termsUrl
    SIGNPOST_EMBED_ORIGINS: embedOrigins
    SIGNPOST_TRUST_PROXY: 'true'
    SIGNPOST_STATE_DAYS: string(stateDays)
    SIGNPOST_REFERRAL_DAYS: string(referralDays)
    SIGNPOST_RESPONSE_DAYS: string(responseDays)
    SIGNPOST_CONNECTOR_HOURS: connectorHours
    SIGNPOST_CONNECTOR_TIMEZONE: connectorTimezone
    SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: teamsConnectorsConversation
    LOG_LEVEL: logLevel
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  }
}

@description('The web app\'s name, for az webapp deploy.')
output webAppName string = webApp.name

@description('The chat\'s public address (SIGNPOST_PUBLIC_URL).')
output publicUrl string = empty(publicUrl) ? 'https://${webApp.properties.defaultHostName}' : publicUrl

@description('The bot\'s app id (MicrosoftAppId): the Teams app package needs it.')
output microsoftAppId string = appType == 'SingleTenant' ? appId : identity.properties.clientId

@description('The Key Vault holding Signpost\'s secrets.')
output keyVaultName string = keyVault.name
