/** The connectors' workspace: the page at /workspace and its JSON API. */
import type restify from 'restify';
import { mountWorkspaceApi, type WorkspaceApiParts } from './api';
import { mountWorkspacePage } from './page';

export type WorkspaceParts = WorkspaceApiParts;

/** Adds the page, its assets and the API. */
export function mountWorkspace(server: restify.Server, parts: WorkspaceParts): void {
    mountWorkspaceApi(server, parts);
    mountWorkspacePage(server);
}
export { Auth } from './auth';
