import type { Queryable } from '../../shared/db.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import { getUser } from '../access/index.ts';
import { findCustomer, type Customer } from '../customers/index.ts';
import type { Project, Task } from './project.ts';
import { findProject, findTask } from './project-store.ts';

// Ids inside a request body: an unknown one (or another organization's) is 422 naming the field,
// with the same code the path would give as 404 (docs/ERRORS.md).

async function asField<T>(field: string, lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw invalid(field, error.message, error.code);
    throw error;
  }
}

export function customerField(db: Queryable, organizationId: string, id: string, field = 'customerId'): Promise<Customer> {
  return asField(field, findCustomer(db, organizationId, id));
}

export async function userField(db: Queryable, organizationId: string, id: string, field = 'userId'): Promise<string> {
  return (await asField(field, getUser(db, organizationId, id))).id;
}

/** A project that takes new work: it exists here and is not archived. */
export async function activeProjectField(db: Queryable, organizationId: string, id: string, field = 'projectId'): Promise<Project> {
  const project = await asField(field, findProject(db, organizationId, id));
  if (project.status === 'archived') throw invalid(field, `project ${project.name} is archived`, 'project_archived');
  return project;
}

export function projectField(db: Queryable, organizationId: string, id: string, field = 'projectId'): Promise<Project> {
  return asField(field, findProject(db, organizationId, id));
}

export function taskField(db: Queryable, organizationId: string, id: string, field = 'taskId'): Promise<Task> {
  return asField(field, findTask(db, organizationId, id));
}

/** A task of this very project that takes new work (not archived). */
export async function openTaskField(db: Queryable, organizationId: string, id: string, projectId: string, field = 'taskId'): Promise<Task> {
  const task = await taskField(db, organizationId, id, field);
  if (task.projectId !== projectId) throw invalid(field, 'is a task of another project', 'task_not_in_project');
  if (task.archivedAt) throw invalid(field, `task ${task.name} is archived`, 'task_archived');
  return task;
}

/** The person a request acts as: API keys belong to a user too, but a key of no one has none. */
export function actingUser(userId: string | null, field = 'userId'): string {
  if (userId === null) throw invalid(field, 'is required: this API key belongs to no user', 'user_required');
  return userId;
}
