// Signpost on Azure, with a new resource group: makes the group, then deploys
// template-with-preexisting-rg.bicep into it.
//   az deployment sub create --location uksouth --template-file template-with-new-rg.bicep \
//     --parameters template-with-new-rg.parameters.json --parameters tokenSecret=...
// The ARM JSON beside this file (template-with-new-rg.json) is the same template written out by hand.
// See docs/deploy.md for every parameter and the steps around it.
targetScope = 'subscription'

@description('Name of the resource group to make.')
@minLength(1)
@maxLength(90)
param resourceGroupName string

@description('Name of the Azure Bot resource (unique across Azure; letters, digits and hyphens). Other names are made from it.')
@minLength(2)
@maxLength(60)
param botName string

@description('Name of the web app: its address is https://NAME.azurewebsites.net (unique across Azure).')
@minLength(2)
@maxLength(60)
param webAppName string = botName

@description('Azure region of the new resource group and of everything except the bot registration.')
param location string = deployment().location

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

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module signpost 'template-with-preexisting-rg.bicep' = {
  name: 'signpost'
  scope: group
  params: {
    botName: botName
    webAppName: webAppName
    location: location
    botLocation: botLocation
    botSku: botSku
    appServicePlanSku: appServicePlanSku
    instanceCount: instanceCount
    appType: appType
    appId: appId
    appPassword: appPassword
    tokenSecret: tokenSecret
    metricsToken: metricsToken
    databaseMode: databaseMode
    mongodbUri: mongodbUri
    mongodbDatabase: mongodbDatabase
    cosmosAdminUser: cosmosAdminUser
    cosmosAdminPassword: cosmosAdminPassword
    cosmosTier: cosmosTier
    cosmosStorageGb: cosmosStorageGb
    enableDirectLine: enableDirectLine
    enableTeams: enableTeams
    enableSms: enableSms
    twilioPhoneNumber: twilioPhoneNumber
    twilioAccountSid: twilioAccountSid
    twilioAuthToken: twilioAuthToken
    serviceName: serviceName
    organisation: organisation
    publicUrl: publicUrl
    privacyUrl: privacyUrl
    termsUrl: termsUrl
    embedOrigins: embedOrigins
    stateDays: stateDays
    referralDays: referralDays
    responseDays: responseDays
    connectorHours: connectorHours
    connectorTimezone: connectorTimezone
    teamsConnectorsConversation: teamsConnectorsConversation
    logLevel: logLevel
    logRetentionDays: logRetentionDays
    tags: tags
  }
}

@description('The web app\'s name, for az webapp deploy.')
output webAppName string = signpost.outputs.webAppName

@description('The chat\'s public address (SIGNPOST_PUBLIC_URL).')
output publicUrl string = signpost.outputs.publicUrl

@description('The bot\'s app id (MicrosoftAppId): the Teams app package needs it.')
output microsoftAppId string = signpost.outputs.microsoftAppId

@description('The Key Vault holding Signpost\'s secrets.')
output keyVaultName string = signpost.outputs.keyVaultName
